// upsampling2d: nearest-neighbour 2-D upsampling (Keras UpSampling2D, PyTorch Upsample(nearest)).
//   {"type":"upsampling2d","size":s|[sh,sw] (2)}
//   x: [B, C, H, W] (NCHW) -> y: [B, C, H sh, W sw],  y[.., i, j] = x[.., i / sh, j / sw]
// Backward: each input cell's gradient is the sum over its sh x sw block of dy.
#pragma once
#include <vector>

#include "nn/conv2d.h"
#include "nn/plane_layout.h"

namespace aekit::nn {

class UpSampling2D : public PlaneLayer {
 public:
  explicit UpSampling2D(HW size);
  // {"type": "upsampling2d", "size": 2 | [h, w]}
  struct Options {
    HW size{2, 2};
  };
  static const config::Schema<Options>& schema();
  explicit UpSampling2D(const Options& o) : UpSampling2D(o.size) {}
  std::string type() const override { return "upsampling2d"; }
  nlohmann::json config() const override { return with_type(type(), schema().write({size_})); }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;

 private:
  HW size_;
  Shape x_shape_;
  Tensor y_, dx_;
  const Tensor* x_ = nullptr;  // the last forward's input
  const Tensor& finish_dx();
};

}  // namespace aekit::nn
