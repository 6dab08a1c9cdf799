#include "eval/anomaly_score.h"

#include <algorithm>

#include "eval/evaluate.h"
#include "eval/latent.h"
#include "tensor/error.h"

namespace aekit::eval {

std::vector<double> anomaly_scores(models::Autoencoder& model, const Tensor& x, const std::string& metric) {
  require(metric == "loss" || metric == "mse" || metric == "relative",
          "unknown anomaly metric \"" + metric + "\" (expected loss, mse or relative)");
  if (metric == "loss") return split_loss(model, x, nullptr, 1000, true).per_sample;
  const Tensor y = decode_all_reconstructions(model, x);
  const int64_t n = x.dim(0), d = x.sample_size();
  std::vector<double> out(n);
  for (int64_t i = 0; i < n; ++i) {
    double err = 0, energy = 0;
    for (int64_t j = 0; j < d; ++j) {
      const double v = x[i * d + j], e = v - y[i * d + j];
      err += e * e, energy += v * v;
    }
    out[i] = metric == "mse" ? err / d : err / std::max(energy, 1e-12);
  }
  return out;
}

}  // namespace aekit::eval
