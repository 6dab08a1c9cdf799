#include "train/run_figures.h"

#include <algorithm>

#include "eval/evaluate.h"
#include "report/image_grid.h"
#include "report/plot.h"
#include "report/png.h"

namespace aekit::train {

void write_loss_curve(const std::string& path, const nlohmann::json& history, const std::string& title) {
  report::Series tr{"train", {}, {}}, va{"validation", {}, {}};
  for (const auto& h : history) {
    tr.x.push_back(h["epoch"].get<double>());
    tr.y.push_back(h["train_loss"].get<double>());
    va.x.push_back(h["epoch"].get<double>());
    va.y.push_back(h["val_loss"].get<double>());
  }
  report::PlotOptions o;
  o.title = title;
  o.x_label = "epoch";
  o.y_label = "loss";
  o.integer_x = true;
  report::write_png(path, report::line_plot({tr, va}, o));
}

void write_reconstructions(const std::string& path, const Tensor& x, const Tensor& y) {
  report::write_png(path, report::to_grey(report::labeled_rows({{"original", x}, {"reconstruction", y}}, 2)));
}

void write_run_figures(const std::string& dir, const nlohmann::json& history, models::Autoencoder& model,
                       const Tensor& test_x) {
  write_loss_curve(dir + "/loss_curve.png", history, "loss per epoch");
  Tensor x;
  eval::copy_rows(test_x, 0, std::min<int64_t>(10, test_x.dim(0)), x);
  write_reconstructions(dir + "/reconstructions.png", x, model.reconstruct(x));
}

}  // namespace aekit::train
