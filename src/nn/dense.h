// Dense (fully connected) layer with an optional fused activation:
//   y = act(x W^T + b),  x: [B, in] (any per-sample shape is flattened), W: [out, in], b: [out]
// W is stored as PyTorch stores nn.Linear.weight, so "weight"/"bias" load straight into torch.
// Forward is one oneDNN matmul with bias and activation fused. Backward makes one pass over dy
// (activation derivative + bias gradient together), then dW = g^T x and, if needed, dx = g W.
#pragma once
#include "nn/activation.h"
#include "nn/layer.h"

namespace aekit::nn {

class Dense : public Layer {
 public:
  Dense(int64_t units, Act act = Act::linear, float alpha = 0.3f, bool use_bias = true);
  // {"type": "dense", "units": 128, "activation": "relu", "alpha": 0.3 (leaky_relu), "use_bias": true}
  struct Options {
    int64_t units = 0;
    Act activation = Act::linear;
    float alpha = 0.3f;
    bool use_bias = true;
  };
  static const config::Schema<Options>& schema();
  explicit Dense(const Options& o) : Dense(o.units, o.activation, o.alpha, o.use_bias) {}
  std::string type() const override { return "dense"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  void init(Rng& rng, Init scheme) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  double flops_per_sample() const override { return 2.0 * in_ * units_; }

  Tensor& weight() { return w_; }
  Tensor& bias() { return b_; }
  int64_t units() const { return units_; }
  int64_t inputs() const { return in_; }
  bool has_bias() const { return use_bias_; }
  Act act() const { return act_; }
  float alpha() const { return alpha_; }

 private:
  int64_t units_, in_ = 0;
  Act act_;
  float alpha_;
  bool use_bias_;
  Tensor w_, b_, dw_, db_;
  const Tensor* x_ = nullptr;
  Tensor y_, g_, dx_, partial_;  // partial_: per-thread bias-gradient sums
};

}  // namespace aekit::nn
