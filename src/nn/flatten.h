// flatten: [B, d1, d2, ...] -> [B, d1 * d2 * ...] (Keras Flatten, torch.flatten(x, 1)).
//   {"type":"flatten"}
// NCHW data is already laid out in flatten order (channel, row, column), so the values are
// copied unchanged; backward copies dy back to the input's shape. (Tensors own their storage;
// one memcpy is the price of returning a tensor of the new shape.)
#pragma once
#include "nn/layer.h"

namespace aekit::nn {

class Flatten : public Layer {
 public:
  struct Options {};  // {"type": "flatten"}: no keys
  static const config::Schema<Options>& schema();
  explicit Flatten(const Options&) {}
  Flatten() = default;
  std::string type() const override { return "flatten"; }
  nlohmann::json config() const override { return with_type(type(), schema().write({})); }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;

 private:
  Shape x_shape_;
  Tensor y_, dx_;
};

// Copies `from`'s values into `to` with the shape [from.dim(0), sample...]; shared with reshape.
void copy_reshaped(const Tensor& from, const Shape& sample, Tensor& to);

}  // namespace aekit::nn
