// batch_norm: batch normalisation (Keras BatchNormalization, PyTorch BatchNorm1d/2d).
//   {"type":"batch_norm","momentum":0.99,"epsilon":1e-3}
//   x: [B, F] (per feature) or [B, C, H, W] (per channel, over batch and pixels; generally the
//   first per-sample axis is the channel and the rest are pooled with the batch).
//   train: y = weight * (x - mean) / sqrt(var + eps) + bias with the batch's mean and biased
//          variance per channel (n = B * H * W values); then
//            running_mean = momentum * running_mean + (1 - momentum) * mean
//            running_var  = momentum * running_var  + (1 - momentum) * var * n / (n - 1)
//          momentum is Keras's (weight of the old value): PyTorch's momentum is 1 - this one,
//          and running_var takes PyTorch's unbiased variance. Needs n > 1, as PyTorch does.
//   eval:  the same with running_mean / running_var in place of the batch statistics.
// Params as PyTorch names them: "weight" (gamma, starts at 1), "bias" (beta, 0), and state
// "running_mean" (0), "running_var" (1) with no gradient: saved in checkpoints, not trained.
// Backward differentiates whichever statistics the last forward used (the batch's in train).
#pragma once
#include <vector>

#include "nn/layer.h"

namespace aekit::nn {

class BatchNorm : public Layer {
 public:
  explicit BatchNorm(float momentum = 0.99f, float epsilon = 1e-3f);
  // {"type": "batch_norm", "momentum": 0.99, "epsilon": 1e-3} (Keras's defaults and meaning)
  struct Options {
    float momentum = 0.99f, epsilon = 1e-3f;
  };
  static const config::Schema<Options>& schema();
  explicit BatchNorm(const Options& o) : BatchNorm(o.momentum, o.epsilon) {}
  std::string type() const override { return "batch_norm"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  // Eval mode as y = scale[c] * x + shift[c] per channel c (what FrozenEncoder folds into the
  // dense layer before it); channels() values each, over spatial() values per channel.
  void eval_affine(std::vector<float>& scale, std::vector<float>& shift) const;
  int64_t channels() const { return channels_; }
  int64_t spatial() const { return spatial_; }

 private:
  float momentum_, epsilon_;
  int64_t channels_ = 0, spatial_ = 0;  // per sample: channels x spatial values
  Tensor gamma_, beta_, dgamma_, dbeta_, running_mean_, running_var_;
  const Tensor* x_ = nullptr;
  Mode mode_ = Mode::eval;
  std::vector<float> mean_, inv_std_;  // per channel, of the last forward
  std::vector<float> scale_, shift_, mdx_;  // per channel coefficients of the element passes
  std::vector<double> acc_;            // per channel: two accumulators for [B, F] inputs
  void set_stats(int64_t c, double mean, double sq, int64_t n);
  float running_inv_std(int64_t c) const;
  Tensor y_, dx_;
};

}  // namespace aekit::nn
