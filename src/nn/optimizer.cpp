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
double sum_squares(const Tensor& t) {
  double s = 0;
  for (float v : t) s += static_cast<double>(v) * v;
  return s;
}
void scale(Tensor& t, float k) {
  for (float& v : t) v *= k;
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
