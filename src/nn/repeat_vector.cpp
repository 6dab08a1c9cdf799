#include "nn/repeat_vector.h"

#include <cstring>

#include "tensor/error.h"

namespace aekit::nn {

RepeatVector::RepeatVector(int64_t n) : n_(n) {
  require(n > 0, "repeat_vector: n must be positive, got " + std::to_string(n));
}

const config::Schema<RepeatVector::Options>& RepeatVector::schema() {
  static const auto s = config::Schema<Options>("repeat_vector").required("n", &Options::n, config::between(1, 1 << 20));
  return s;
}

nlohmann::json RepeatVector::config() const { return with_type(type(), schema().write({n_})); }

Shape RepeatVector::build(const Shape& in) {
  require(in.size() == 1 && in[0] > 0,
          "repeat_vector: expects flat [features] samples, got " + aekit::to_string(in));
  in_shape_ = in;
  features_ = in[0];
  out_shape_ = {n_, features_};
  return out_shape_;
}

const Tensor& RepeatVector::forward(const Tensor& x, Mode) {
  require(x.rank() == 2 && x.dim(1) == features_,
          "repeat_vector: input " + aekit::to_string(x.shape()) + " does not match [batch, " +
              std::to_string(features_) + "]");
  const int64_t B = x.dim(0), F = features_;
  y_.resize({B, n_, F});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < n_; ++t)
      std::memcpy(y_.data() + (b * n_ + t) * F, x.data() + b * F, F * sizeof(float));
  return y_;
}

const Tensor& RepeatVector::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  const int64_t F = features_, B = dy.dim(0);
  if (summed_dy_) {
    require(dy.rank() == 2 && dy.dim(1) == F, "repeat_vector: step-summed gradient " + aekit::to_string(dy.shape()) +
                                                  " does not match [batch, " + std::to_string(F) + "]");
    dx_ = dy;
    return dx_;
  }
  require(dy.size() == B * n_ * F, "repeat_vector: gradient " + aekit::to_string(dy.shape()) +
                                       " does not match the output [batch, " + std::to_string(n_) +
                                       ", " + std::to_string(F) + "]");
  dx_.resize({B, F});
  dx_.zero();
  for (int64_t b = 0; b < B; ++b) {
    float* d = dx_.data() + b * F;
    for (int64_t t = 0; t < n_; ++t) {
      const float* g = dy.data() + (b * n_ + t) * F;
#pragma omp simd
      for (int64_t j = 0; j < F; ++j) d[j] += g[j];
    }
  }
  return dx_;
}

}  // namespace aekit::nn
