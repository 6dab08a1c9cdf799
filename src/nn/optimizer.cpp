#include "nn/optimizer.h"

#include <algorithm>
#include <cmath>

#include "nn/optimizers.h"
#include "tensor/error.h"

namespace aekit::nn {

std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& cfg) {
  require(cfg.is_object() && cfg.contains("type") && cfg["type"].is_string(),
          "optimizer: expected an object with a \"type\" string, got " + cfg.dump());
  const std::string type = cfg["type"];
  if (type == "adam") return make_adam(cfg);
  if (type == "sgd") return make_sgd(cfg);
  throw InputError("unknown optimizer '" + type + "' (expected adam or sgd)");
}

namespace {
// Float sums over short blocks (vectorised), double across blocks (accurate): a plain double
// accumulation is one long dependency chain and cost ~10% of a clipped VAE step.
double sum_squares(const Tensor& t) {
  const float* p = t.data();
  const int64_t n = t.size();
  double s = 0;
  for (int64_t i0 = 0; i0 < n; i0 += 1024) {
    const int64_t i1 = std::min(n, i0 + 1024);
    float b = 0;
#pragma omp simd reduction(+ : b)
    for (int64_t i = i0; i < i1; ++i) b += p[i] * p[i];
    s += b;
  }
  return s;
}
void scale(Tensor& t, float k) {
  float* p = t.data();
#pragma omp simd
  for (int64_t i = 0; i < t.size(); ++i) p[i] *= k;
}
}  // namespace

double clip_global_norm(const std::vector<Param>& params, double max_norm) {
  double ss = 0;
  for (const Param& p : params)
    if (p.grad) ss += sum_squares(*p.grad);
  const double norm = std::sqrt(ss);
  // Same small constant as torch.nn.utils.clip_grad_norm_.
  const double k = max_norm / (norm + 1e-6);
  if (k < 1.0)
    for (const Param& p : params)
      if (p.grad) scale(*p.grad, static_cast<float>(k));
  return norm;
}

double clip_per_tensor_norm(const std::vector<Param>& params, double max_norm) {
  double largest = 0;
  for (const Param& p : params) {
    if (!p.grad) continue;
    const double norm = std::sqrt(sum_squares(*p.grad));
    largest = std::max(largest, norm);
    if (norm > max_norm) scale(*p.grad, static_cast<float>(max_norm / norm));
  }
  return largest;
}

}  // namespace aekit::nn
