#include "nn/dropout.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/parallel.h"
#include "tensor/counter_hash.h"
#include "tensor/error.h"

namespace aekit::nn {

Dropout::Dropout(float rate) : rate_(rate) {
  require(rate >= 0 && rate < 1, "dropout: rate must be in [0, 1), got " + std::to_string(rate));
}

const config::Schema<Dropout::Options>& Dropout::schema() {
  static const auto s = config::Schema<Options>("dropout").required("rate", &Options::rate, config::from_below(0, 1));
  return s;
}

Shape Dropout::build(const Shape& in) {
  in_shape_ = out_shape_ = in;
  return in;
}

const Tensor& Dropout::forward(const Tensor& x, Mode mode) {
  require(x.rank() >= 1 && x.sample_size() == numel(in_shape_),
          "dropout: input has " + std::to_string(x.sample_size()) + " values per sample, layer was built for " +
              aekit::to_string(in_shape_));
  mode_ = mode;
  y_.resize(x.shape());
  if (mode == Mode::eval) {
    std::memcpy(y_.data(), x.data(), x.size() * sizeof(float));
    return y_;
  }
  require(rng_ != nullptr, "dropout: no random generator in train mode (the trainer calls set_rng)");
  mask_.resize(x.shape());
  const float keep = 1.0f / (1.0f - rate_);
  // One draw per forward keys a counter-based hash of each value's index: the mask is the
  // same for any thread count, and the loop vectorises (a sequential generator call per value
  // was ~10 ns, more than the rest of a dense layer's elementwise work).
  const uint64_t key = rng_->next_u64();
  // u = (h >> 8) / 2^24 is kept when u >= rate, i.e. when h >> 8 >= ceil(rate 2^24).
  const int32_t threshold = static_cast<int32_t>(std::ceil(static_cast<double>(rate_) * 16777216.0));
  kernels::parallel_for(x.size(), 65536, [&](int64_t b, int64_t e, int) {
    // Locals, not captures: a store through m or y could alias the closure, and GCC then
    // reloads the captures in the loop and does not vectorise it.
    float* m = mask_.data();
    float* y = y_.data();
    const float* xd = x.data();
    const uint64_t k = key;
    const int32_t t = threshold;
    const float kp = keep;
#pragma omp simd
    for (int64_t i = b; i < e; ++i) {
      const uint32_t h = counter_hash(k, static_cast<uint32_t>(i));
      const float k = static_cast<int32_t>(h >> 8) >= t ? kp : 0.0f;
      m[i] = k;
      y[i] = xd[i] * k;
    }
  });
  return y_;
}

const Tensor& Dropout::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  dx_.resize(dy.shape());
  if (mode_ == Mode::eval) {
    std::memcpy(dx_.data(), dy.data(), dy.size() * sizeof(float));
    return dx_;
  }
  kernels::parallel_for(dy.size(), 65536, [&](int64_t b, int64_t e, int) {
#pragma omp simd
    for (int64_t i = b; i < e; ++i) dx_[i] = dy[i] * mask_[i];
  });
  return dx_;
}

}  // namespace aekit::nn
