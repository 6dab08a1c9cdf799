// max_pool2d: 2-D max pooling (Keras MaxPooling2D, PyTorch MaxPool2d).
//   {"type":"max_pool2d","pool":p|[ph,pw] (2),"stride":s|[sh,sw] (= pool),"padding":"valid"|"same" ("valid")}
//   x: [B, C, H, W] (NCHW) -> y: [B, C, OH, OW], each output the maximum of its window.
// Window placement per axis as conv2d's (Keras): "same" gives OH = ceil(H / sh) with the padding
// split top/bottom (extra one at the bottom), so 7 -> 4 with pool 2; padded cells never win
// (they are -infinity, as in Keras and PyTorch). "valid" needs H >= ph.
// Backward routes each output's gradient to the input cell that won (the first maximum in
// row-major order, as PyTorch), kept from the forward pass; overlapping windows add up.
#pragma once
#include <vector>

#include "nn/conv2d.h"

namespace aekit::nn {

class MaxPool2D : public Layer {
 public:
  explicit MaxPool2D(HW pool, std::optional<HW> stride = std::nullopt, Padding padding = {});
  static LayerPtr from_config(const nlohmann::json& c);
  std::string type() const override { return "max_pool2d"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  bool takes_blocked() const override { return !in_shape_.empty() && in_shape_[0] % 16 == 0; }
  bool gives_blocked() const override { return takes_blocked(); }
  void set_blocked(bool in, bool out) override { blocked_in_ = in, blocked_out_ = out; }
  bool can_apply_relu_grad() const override { return true; }
  void apply_relu_grad(bool on, float slope) override { relu_grad_ = on, relu_slope_in_ = slope; }

 private:
  HW pool_, stride_;
  Padding padding_;
  Window wh_{}, ww_{};
  Shape x_shape_;
  Tensor y_, dx_;
  std::vector<int32_t> argmax_;  // per output: the winner's index within its input plane
  bool blocked_in_ = false, blocked_out_ = false;
  std::vector<std::vector<float>> scratch_;  // per thread, for the blocked layout
  bool relu_grad_ = false;       // apply the previous layer's relu / leaky_relu derivative
  float relu_slope_in_ = 0.0f;
  Tensor dym_;                   // dy times that derivative
  const Tensor& masked_dy(const Tensor& dy);
};

}  // namespace aekit::nn
