// `aekit report` on a briefly trained 2-D VAE: one self-contained page with the config, the
// trainer's loss conventions, a metrics row per epoch, the loss curve as SVG and every PNG.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "io/atomic_file.h"
#include "support/fixtures.h"
#include "support/run_cli.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

TEST(HtmlReport, TinyRunGetsEverythingInline) {
  ScratchDir d;
  const std::string run = d / "run";
  CliResult t = run_aekit("train --config " + source_path("configs/vae2d_mnist.json") + " --data " +
                              source_path("data/mnist") + " --limit 512 --epochs 3 --out " + run,
                          d);
  ASSERT_EQ(t.code, 0) << t.err;
  CliResult r = run_aekit("report --run " + run, d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(run + "/report.html"), std::string::npos) << r.out;
  const std::string html = io::read_file(run + "/report.html");

  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>aekit run vae2d_mnist</title>"), std::string::npos);
  EXPECT_NE(html.find("&quot;name&quot;: &quot;vae2d_mnist&quot;"), std::string::npos);  // pretty JSON

  // The loss conventions are the lines the trainer printed, word for word.
  const size_t at = t.out.find("loss bce: per sample");
  ASSERT_NE(at, std::string::npos) << t.out;
  const std::string loss_line = t.out.substr(at, t.out.find('\n', at) - at);
  const size_t vae_at = t.out.find("vae: loss = recon");
  ASSERT_NE(vae_at, std::string::npos);
  const std::string vae_line = t.out.substr(vae_at, t.out.find('\n', vae_at) - vae_at);
  EXPECT_NE(html.find(loss_line), std::string::npos) << loss_line;
  EXPECT_NE(html.find(vae_line), std::string::npos) << vae_line;

  // A header and one row per epoch, cells as metrics.csv has them.
  EXPECT_EQ(count(html, "<tr>"), 4u);
  EXPECT_NE(html.find("<th>epoch</th><th>train_loss</th>"), std::string::npos);
  for (const char* e : {"<tr><td>1</td>", "<tr><td>2</td>", "<tr><td>3</td>"})
    EXPECT_NE(html.find(e), std::string::npos) << e;

  EXPECT_EQ(count(html, "<svg"), 1u);  // the loss curve
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  int pngs = 0;
  for (const auto& e : std::filesystem::directory_iterator(run)) pngs += e.path().extension() == ".png";
  EXPECT_GE(pngs, 5);  // loss curve, reconstructions, samples, traversal, scatter, grid
  EXPECT_EQ(count(html, "src=\"data:image/png;base64,iVBORw0KGgo"), static_cast<size_t>(pngs));
  EXPECT_NE(html.find("<figcaption>latent_scatter.png</figcaption>"), std::string::npos);

  // Self-contained: nothing to fetch (the SVG's xmlns names are identifiers, not links).
  for (const char* ref : {"src=\"http", "href=\"http", "url(http", "<script", "<link"})
    EXPECT_EQ(html.find(ref), std::string::npos) << ref;
}

TEST(HtmlReport, MissingRunFolderIsExit2WithOneLine) {
  ScratchDir d;
  CliResult r = run_aekit("report --run " + (d / "no_such_run"), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(count(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find("no_such_run: no such run folder"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "no_such_run"));
}

}  // namespace
