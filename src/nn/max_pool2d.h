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
#include "nn/plane_layout.h"

namespace aekit::nn {

class MaxPool2D : public PlaneLayer {
 public:
  explicit MaxPool2D(HW pool, std::optional<HW> stride = std::nullopt, Padding padding = {});
  // {"type": "max_pool2d", "pool": 2, "stride": pool, "padding": "valid" | "same"}
  struct Options {
    HW pool{2, 2};
    std::optional<HW> stride;
    Padding padding;
  };
  static const config::Schema<Options>& schema();
  explicit MaxPool2D(const Options& o) : MaxPool2D(o.pool, o.stride, o.padding) {}
  std::string type() const override { return "max_pool2d"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;

 private:
  HW pool_, stride_;
  Padding padding_;
  Window wh_{}, ww_{};
  bool two_by_two_ = false;  // 2x2 windows at stride 2 from the top-left corner: the fast paths
  Shape x_shape_;
  Tensor y_, dx_;
  std::vector<int32_t> argmax_;  // per output: the winner's index within its input plane
  Tensor dym_;  // dy times the handed-over relu derivative
  const Tensor& masked_dy(const Tensor& dy);
};

}  // namespace aekit::nn
