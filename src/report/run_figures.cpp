#include "report/run_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/csv.h"
#include "eval/evaluate.h"
#include "eval/image_metrics.h"
#include "eval/latent.h"
#include "io/atomic_file.h"
#include "draw/image_grid.h"
#include "report/latent_figures.h"
#include "draw/plot.h"
#include "draw/png.h"
#include "report/sentence_report.h"
#include "run/load_run.h"
#include "run/run_data.h"
#include "run/sentence_run.h"

namespace aekit::report {

draw::Figure loss_curve_figure(const std::string& metrics_csv, const std::string& title) {
  data::CsvOptions o;
  o.has_header = true;
  data::Table t = data::read_csv(metrics_csv, o);
  auto column = [&](const std::string& name) {
    auto it = std::find(t.columns.begin(), t.columns.end(), name);
    std::vector<double> v;
    if (it == t.columns.end()) return v;
    for (const auto& row : t.rows) v.push_back(row[it - t.columns.begin()]);
    return v;
  };
  std::vector<double> epoch = column("epoch");
  draw::PlotOptions p;
  p.title = title;
  p.x_label = "epoch";
  p.y_label = "loss";
  p.integer_x = true;
  return draw::line_plot({{"train", epoch, column("train_loss")}, {"validation", epoch, column("val_loss")}}, p);
}

void write_loss_curve(const std::string& path, const std::string& metrics_csv, const std::string& title) {
  draw::write_figure(path, loss_curve_figure(metrics_csv, title));
}

void write_reconstructions(const std::string& path, const Tensor& x, const Tensor& y) {
  const draw::Image fig = draw::labeled_rows({{"original", x}, {"reconstruction", y}}, 2);
  draw::write_png(path, draw::is_colour_images(x) ? fig : draw::to_grey(fig));
}

namespace {

// Rows of a table in the data's original units (undoing the run's standard scaling).
std::string format_rows(const Tensor& rows, const std::optional<data::StandardScaler>& scaler) {
  Tensor t = rows;
  if (t.rank() != 2) t.reshape({t.dim(0), t.sample_size()});
  if (scaler) scaler->inverse_transform(t);
  std::string out;
  char buf[32];
  for (int64_t r = 0; r < t.dim(0); ++r) {
    for (int64_t c = 0; c < t.dim(1); ++c) {
      // Rounded first so -0.04 prints as 0.0, not -0.0.
      std::snprintf(buf, sizeof buf, "%8.1f", std::round(t[r * t.dim(1) + c] * 10.0) / 10.0 + 0.0);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string write_table_report(const std::string& dir, models::Autoencoder& model, const run::RunData& data) {
  std::string text = "first row and its reconstruction (original units):\n";
  Tensor x;
  eval::copy_rows(data.test.x, 0, 1, x);
  text += format_rows(x, data.scaler) + format_rows(model.reconstruct(x), data.scaler);
  if (model.is_vae()) {
    Tensor z({10, numel(model.code_shape())});
    Rng rng(0);
    for (float& v : z) v = rng.uniform(-2.0f, 2.0f);
    text += "\n10 rows generated from z ~ uniform[-2, 2] (original units):\n" +
            format_rows(eval::decode_all(model, z), data.scaler);
  }
  io::write_file_atomic(dir + "/report.txt", text);
  std::fputs(text.c_str(), stdout);
  return dir + "/report.txt";
}

std::string write_denoising_report(const std::string& dir, models::Autoencoder& model, const run::RunData& data) {
  const Tensor noisy = run::noisy_test_inputs(data);  // the corruption validation used
  const Tensor denoised = eval::decode_all_reconstructions(model, noisy);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "test images %lld\nnoisy vs clean:    MSE %.5f  PSNR %.2f dB\ndenoised vs clean: MSE %.5f  PSNR %.2f dB\n"
                "PSNR gain %.2f dB (mean over images of per-image PSNR, peak 1)\n",
                static_cast<long long>(data.test.x.dim(0)), eval::mse(noisy, data.test.x),
                eval::psnr(noisy, data.test.x), eval::mse(denoised, data.test.x), eval::psnr(denoised, data.test.x),
                eval::psnr(denoised, data.test.x) - eval::psnr(noisy, data.test.x));
  io::write_file_atomic(dir + "/denoising.txt", buf);
  std::fputs(buf, stdout);
  Tensor n10, d10, c10;
  eval::copy_rows(noisy, 0, 10, n10);
  eval::copy_rows(denoised, 0, 10, d10);
  eval::copy_rows(data.test.x, 0, 10, c10);
  const draw::Image fig = draw::labeled_rows({{"noisy", n10}, {"denoised", d10}, {"clean", c10}}, 2);
  draw::write_png(dir + "/denoising.png", draw::is_colour_images(c10) ? fig : draw::to_grey(fig));
  return dir + "/denoising.png";
}

std::vector<std::string> write_run_figures(const std::string& dir, const std::string& data_override) {
  run::RunConfig cfg = run::load_run_config(dir + "/config.json");
  if (run::is_sentence_run(cfg)) {
    // Everything comes from the folder (sentence_run.h); the corpus is not read again.
    write_loss_curve(dir + "/loss_curve.png", dir + "/metrics.csv", cfg.name + ": loss per epoch");
    run::LoadedRun run = run::load_run(dir);
    SentenceReportOptions o;
    o.seed = cfg.train.seed;
    std::vector<std::string> written = write_sentence_report(dir, *run.model, run::load_sentence_run(dir), o);
    written.insert(written.begin(), dir + "/loss_curve.png");
    return written;
  }
  if (!data_override.empty()) run::set_dataset(cfg, data_override);
  run::RunData data = run::load_run_data(cfg, /*need_train=*/false);
  run::LoadedRun run = run::load_run(dir);
  models::Autoencoder& model = *run.model;
  std::vector<std::string> written;

  write_loss_curve(dir + "/loss_curve.png", dir + "/metrics.csv", cfg.name + ": loss per epoch");
  written.push_back(dir + "/loss_curve.png");

  const Shape& in = model.input_shape();
  const bool images = (in.size() == 3 && (in[0] == 1 || in[0] == 3)) || in.size() == 2;
  if (!images) {
    written.push_back(write_table_report(dir, model, data));
  } else {
    Tensor x;
    eval::copy_rows(data.test.x, 0, std::min<int64_t>(10, data.test.x.dim(0)), x);
    write_reconstructions(dir + "/reconstructions.png", x, model.reconstruct(x));
    written.push_back(dir + "/reconstructions.png");
    if (data.noise.active()) written.push_back(write_denoising_report(dir, model, data));
  }
  if (model.is_vae() && images) {
    write_prior_samples(dir + "/samples.png", model, 8, 8, 1);
    written.push_back(dir + "/samples.png");
    if (numel(model.code_shape()) <= 16) {
      Tensor x0;
      eval::copy_rows(data.test.x, 0, 1, x0);
      write_latent_traversal(dir + "/traversal.png", model, x0, 9, 3.0);
      written.push_back(dir + "/traversal.png");
    }
  }
  // Image folders with class subfolders get the scatter too (PCA of the codes when wider than 2).
  const std::vector<std::string> classes = data.folder ? data.folder->classes : std::vector<std::string>{};
  if ((numel(model.code_shape()) == 2 || classes.size() > 1) && !data.test.labels.empty()) {
    write_latent_scatter(dir + "/latent_scatter.png", model, data.test.x, data.test.labels, {}, classes);
    written.push_back(dir + "/latent_scatter.png");
  }
  if (numel(model.code_shape()) == 2 && !data.test.labels.empty()) {
    if (images) {
      write_latent_grid(dir + "/latent_grid.png", model, 20, latent_range(model, data.test.x));
      written.push_back(dir + "/latent_grid.png");
    }
  }
  return written;
}

}  // namespace aekit::report
