// upsampling2d: nearest-neighbour 2-D upsampling (Keras UpSampling2D, PyTorch Upsample(nearest)).
//   {"type":"upsampling2d","size":s|[sh,sw] (2)}
//   x: [B, C, H, W] (NCHW) -> y: [B, C, H sh, W sw],  y[.., i, j] = x[.., i / sh, j / sw]
// Backward: each input cell's gradient is the sum over its sh x sw block of dy.
#pragma once
#include <vector>

#include "nn/conv2d.h"

namespace aekit::nn {

class UpSampling2D : public Layer {
 public:
  explicit UpSampling2D(HW size);
  static LayerPtr from_config(const nlohmann::json& c);
  std::string type() const override { return "upsampling2d"; }
  nlohmann::json config() const override { return {{"type", type()}, {"size", hw_json(size_)}}; }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  bool takes_blocked() const override { return !in_shape_.empty() && in_shape_[0] % 16 == 0; }
  bool gives_blocked() const override { return takes_blocked(); }
  void set_blocked(bool in, bool out) override { blocked_in_ = in, blocked_out_ = out; }
  bool can_apply_relu_grad() const override { return true; }
  void apply_relu_grad(bool on, float slope) override { relu_grad_ = on, relu_slope_in_ = slope; }

 private:
  HW size_;
  Shape x_shape_;
  Tensor y_, dx_;
  bool blocked_in_ = false, blocked_out_ = false;
  std::vector<std::vector<float>> scratch_;  // per thread, for the blocked layout
  const Tensor* x_ = nullptr;   // the last forward's input
  bool relu_grad_ = false;       // apply the previous layer's relu / leaky_relu derivative
  float relu_slope_in_ = 0.0f;
  const Tensor& finish_dx();
};

}  // namespace aekit::nn
