// reshape: [B, ...] -> [B, shape...] with the same number of values per sample (Keras Reshape,
// torch.reshape). {"type":"reshape","shape":[C,H,W]}; one entry may be -1 (inferred), e.g. a
// dense code of 147 values -> [3, 7, 7] for a convolutional decoder.
// Values keep their order (row-major); forward and backward are one copy each (see flatten.h).
#pragma once
#include "nn/layer.h"

namespace aekit::nn {

class Reshape : public Layer {
 public:
  explicit Reshape(Shape shape);
  struct Options {
    std::vector<int64_t> shape;
  };
  static const config::Schema<Options>& schema();
  explicit Reshape(const Options& o) : Reshape(Shape(o.shape.begin(), o.shape.end())) {}
  std::string type() const override { return "reshape"; }
  nlohmann::json config() const override { return with_type(type(), schema().write({{shape_.begin(), shape_.end()}})); }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;

 private:
  Shape shape_;  // as configured, possibly with one -1
  Shape x_shape_;
  Tensor y_, dx_;
};

}  // namespace aekit::nn
