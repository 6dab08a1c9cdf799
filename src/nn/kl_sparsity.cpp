#include "nn/kl_sparsity.h"

#include <algorithm>
#include <cmath>

#include "tensor/error.h"

namespace aekit::nn {
namespace {
constexpr double kClamp = 1e-6;
}

const config::Schema<KlSparsity::Options>& KlSparsity::schema() {
  static const auto s = config::Schema<Options>("kl_sparsity")
                            .key("rho", &Options::rho, config::Range{0, 1, true, true})
                            .key("beta", &Options::beta, config::at_least(0));
  return s;
}

KlSparsity::KlSparsity(float rho, float beta) : rho_(rho), beta_(beta) {
  require(rho > 0 && rho < 1, "kl_sparsity: rho must lie in (0, 1)");
  require(beta >= 0, "kl_sparsity: beta must be >= 0");
}

Shape KlSparsity::build(const Shape& in) {
  in_shape_ = out_shape_ = in;
  return in;
}

const Tensor& KlSparsity::forward(const Tensor& x, Mode mode) {
  x_ = &x;
  penalty_ = 0.0;
  if (mode != Mode::train) return x;
  const int64_t b = x.dim(0), f = x.sample_size();
  rho_hat_.assign(f, 0.0);
  for (int64_t r = 0; r < b; ++r)
    for (int64_t j = 0; j < f; ++j) rho_hat_[j] += x[r * f + j];
  const double p = rho_;
  for (int64_t j = 0; j < f; ++j) {
    const double q = std::clamp(rho_hat_[j] / b, kClamp, 1 - kClamp);
    rho_hat_[j] = q;
    penalty_ += p * std::log(p / q) + (1 - p) * std::log((1 - p) / (1 - q));
  }
  penalty_ *= beta_;
  return x;  // pass-through: no copy
}

const Tensor& KlSparsity::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  const int64_t b = dy.dim(0), f = dy.sample_size();
  dx_.resize(dy.shape());
  for (int64_t j = 0; j < f; ++j) {
    const double q = rho_hat_[j];
    const float g = static_cast<float>(beta_ / b * (-rho_ / q + (1 - rho_) / (1 - q)));
    for (int64_t r = 0; r < b; ++r) dx_[r * f + j] = dy[r * f + j] + g;
  }
  return dx_;
}

}  // namespace aekit::nn
