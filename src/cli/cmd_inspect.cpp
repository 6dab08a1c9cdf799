// What a trained model's parts look like (chapter 002's sparse-autoencoder comparison):
//   weights   a Dense layer's weight matrix as one image tile per hidden unit (figure 8.6)
//   activity  how active the code units are on the test split: mean activation, share of
//             exact zeros, units that never fire
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/commands.h"
#include "cli/run_access.h"
#include "eval/latent.h"
#include "io/atomic_file.h"
#include "nn/dense.h"
#include "draw/weight_tiles.h"
#include "tensor/error.h"

namespace aekit::cli {
namespace {

// The index-th Dense layer of the encoder (0 = the first).
nn::Dense& encoder_dense(models::Autoencoder& model, int index, const std::string& run) {
  int seen = 0;
  for (size_t i = 0; i < model.encoder().size(); ++i)
    if (auto* d = dynamic_cast<nn::Dense*>(&model.encoder().layer(i)); d && seen++ == index) return *d;
  throw InputError(run + ": the encoder has no dense layer number " + std::to_string(index) +
                   " (it has " + std::to_string(seen) + ")");
}

// Tile height/width for a layer with `in` inputs: the image shape for the first layer of an
// image model, otherwise the nearest square.
std::pair<int64_t, int64_t> tile_shape(const Shape& input, int64_t in, const std::string& run) {
  if (numel(input) == in && input.size() >= 2) return {input[input.size() - 2], input.back()};
  const auto side = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(in))));
  require(side * side == in, run + ": cannot lay out " + std::to_string(in) + " weights per unit as a square tile");
  return {side, side};
}

}  // namespace

void add_inspect(CLI::App& app) {
  struct Args {
    std::string run, out, data;
    int layer = 0, cols = 16, scale = 2;
    bool per_unit = false;
  };

  auto* we = app.add_subcommand("weights", "A dense encoder layer's weights as one tile per unit (PNG)");
  auto w = std::make_shared<Args>();
  we->add_option("--run", w->run, "Run folder")->required();
  we->add_option("--layer", w->layer, "Which dense layer of the encoder (0 = first)")->check(CLI::NonNegativeNumber);
  we->add_option("--cols", w->cols, "Tiles per row")->check(CLI::Range(1, 256));
  we->add_option("--scale", w->scale, "Pixels per weight")->check(CLI::Range(1, 16));
  we->add_flag("--per-unit", w->per_unit, "Stretch each tile to its own range (default: one scale for all)");
  we->add_option("--out", w->out, "PNG to write (default RUN/encoder_weights.png)");
  we->callback([w] {
    run::LoadedRun r = run::load_run(w->run);
    nn::Dense& d = encoder_dense(*r.model, w->layer, w->run);
    const Tensor& weight = d.weight();
    Shape input = r.model->input_shape();
    if (w->layer > 0) input = {weight.dim(1)};
    const auto [h, wd] = tile_shape(input, weight.dim(1), w->run);
    const std::string out = w->out.empty() ? w->run + "/encoder_weights.png" : w->out;
    draw::write_png(out, draw::weight_tiles(weight, h, wd, w->cols,
                                                w->per_unit ? draw::TileScale::per_unit : draw::TileScale::shared,
                                                w->scale));
    float m = 0;
    double mean_abs = 0;
    for (int64_t i = 0; i < weight.size(); ++i) m = std::max(m, std::fabs(weight[i])), mean_abs += std::fabs(weight[i]);
    std::printf("wrote %s (%lld units as %lldx%lld tiles; %s scale, max |w| %.4g, mean |w| %.4g)\n", out.c_str(),
                static_cast<long long>(weight.dim(0)), static_cast<long long>(h), static_cast<long long>(wd),
                w->per_unit ? "per-unit" : "shared", m, mean_abs / static_cast<double>(weight.size()));
  });

  auto* ac = app.add_subcommand("activity", "Code-unit activity on the test split (sparsity report)");
  auto a = std::make_shared<Args>();
  ac->add_option("--run", a->run, "Run folder")->required();
  ac->add_option("--data", a->data, "Dataset overriding the run's");
  ac->callback([a] {
    RunWithData r = open_run_with_data(a->run, a->data, false);
    const Tensor z = eval::encode_all(*r.run.model, r.data.test.x);
    const int64_t n = z.dim(0), units = z.size() / n;
    double sum = 0, sum_abs = 0;
    int64_t zeros = 0, dead = 0;
    std::vector<double> unit_mean(units, 0.0);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t u = 0; u < units; ++u) {
        const double v = z[i * units + u];
        sum += v, sum_abs += std::fabs(v), unit_mean[u] += v;
        zeros += v == 0.0;
      }
    for (int64_t u = 0; u < units; ++u) dead += unit_mean[u] == 0.0;
    const double total = static_cast<double>(z.size());
    std::ostringstream rep;
    rep << "test samples " << n << ", code units " << units << "\n"
        << "mean_activation " << sum / total << "\n"
        << "mean_abs_activation " << sum_abs / total << "\n"
        << "zero_fraction " << static_cast<double>(zeros) / total << "\n"
        << "dead_units " << dead << " (never non-zero on the test split)\n";
    std::fputs(rep.str().c_str(), stdout);
    io::write_file_atomic(a->run + "/code_activity.txt", rep.str());
    std::printf("wrote %s/code_activity.txt\n", a->run.c_str());
  });
}

}  // namespace aekit::cli
