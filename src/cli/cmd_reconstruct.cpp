// aekit reconstruct --run DIR [--n 10] [--out FILE.png]: test images above their reconstructions.
// With several --run folders (models trained on the same data, e.g. shallow vs deep, 20 vs 10
// latents) one figure shows the originals and each model's reconstructions side by side.
#include <cstdio>
#include <utility>
#include <vector>

#include "draw/image_grid.h"
#include "draw/png.h"
#include "cli/commands.h"
#include "eval/evaluate.h"
#include "report/run_figures.h"
#include "tensor/error.h"
#include "run/load_run.h"
#include "run/run_data.h"

namespace aekit::cli {
namespace {

// One figure: the first n test images of the first run's data, then each run's reconstructions.
void compare(const std::vector<std::string>& runs, const std::string& data, int n, std::string out) {
  run::RunConfig cfg = run::load_run_config(runs[0] + "/config.json");
  if (!data.empty()) run::set_dataset(cfg, data);
  run::RunData d = run::load_run_data(cfg, false);
  Tensor x;
  eval::copy_rows(d.test.x, 0, std::min<int64_t>(n, d.test.x.dim(0)), x);
  std::vector<std::pair<std::string, Tensor>> rows{{"original", x}};
  for (const std::string& dir : runs) {
    run::LoadedRun r = run::load_run(dir);
    require(r.model->input_shape() == Shape(x.shape().begin() + 1, x.shape().end()),
            dir + ": its model takes inputs shaped " + to_string(r.model->input_shape()) + ", not like " + runs[0] + "'s data");
    Tensor y = r.model->reconstruct(x);
    y.reshape(x.shape());
    const eval::SplitLoss whole = eval::split_loss(*r.model, d.test.x);
    std::printf("%s (%s): test loss %.6f\n", r.cfg.name.c_str(), dir.c_str(), whole.loss);
    rows.emplace_back(r.cfg.name, std::move(y));
  }
  if (out.empty()) out = runs[0] + "/reconstructions_compared.png";
  draw::write_png(out, draw::labeled_rows(rows, 2));
  std::printf("wrote %s (%lld test images, %zu models)\n", out.c_str(), static_cast<long long>(x.dim(0)), runs.size());
}

}  // namespace

void add_reconstruct(CLI::App& app) {
  auto* cmd = app.add_subcommand("reconstruct", "Picture of test images and their reconstructions");
  struct Args {
    std::vector<std::string> runs;
    std::string out, data;
    int n = 10;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--run", a->runs, "Run folder written by `aekit train` (repeat to compare models)")->required();
  cmd->add_option("--n", a->n, "How many test images")->check(CLI::Range(1, 1000));
  cmd->add_option("--out", a->out, "PNG to write (default RUN/reconstructions.png)");
  cmd->add_option("--data", a->data, "Dataset folder or name, overriding the run's");
  cmd->callback([a] {
    if (a->runs.size() > 1) return compare(a->runs, a->data, a->n, a->out);
    const std::string& run = a->runs[0];
    run::RunConfig cfg = run::load_run_config(run + "/config.json");
    if (!a->data.empty()) run::set_dataset(cfg, a->data);
    run::RunData d = run::load_run_data(cfg, false);
    run::LoadedRun r = run::load_run(run);
    const std::string out = a->out.empty() ? run + "/reconstructions.png" : a->out;
    const int64_t n = std::min<int64_t>(a->n, d.test.x.dim(0));
    Tensor x;
    eval::copy_rows(d.test.x, 0, n, x);
    const Tensor& y = r.model->reconstruct(x);
    report::write_reconstructions(out, x, y);
    eval::SplitLoss l = eval::split_loss(*r.model, x, nullptr, 1000, true);
    std::printf("wrote %s (%lld test images; mean loss of these %.6f)\n", out.c_str(),
                static_cast<long long>(n), l.loss);
  });
}

}  // namespace aekit::cli
