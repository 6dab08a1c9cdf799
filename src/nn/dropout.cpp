#include "nn/dropout.h"

#include <cstring>

#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::nn {

Dropout::Dropout(float rate) : rate_(rate) {
  require(rate >= 0 && rate < 1, "dropout: rate must be in [0, 1), got " + std::to_string(rate));
}

LayerPtr Dropout::from_config(const nlohmann::json& c) {
  require(c.contains("rate") && c["rate"].is_number(), "needs a number \"rate\"");
  return std::make_unique<Dropout>(c["rate"].get<float>());
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
  // The draws are sequential (one stream); the multiply is a separate parallel pass.
  for (float& m : mask_) m = rng_->uniform() >= rate_ ? keep : 0.0f;
  kernels::parallel_for(x.size(), 16384, [&](int64_t b, int64_t e, int) {
#pragma omp simd
    for (int64_t i = b; i < e; ++i) y_[i] = x[i] * mask_[i];
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
  kernels::parallel_for(dy.size(), 16384, [&](int64_t b, int64_t e, int) {
#pragma omp simd
    for (int64_t i = b; i < e; ++i) dx_[i] = dy[i] * mask_[i];
  });
  return dx_;
}

}  // namespace aekit::nn
