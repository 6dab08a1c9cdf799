#include "nn/reshape.h"

#include <algorithm>

#include "nn/flatten.h"
#include "tensor/error.h"

namespace aekit::nn {

Reshape::Reshape(Shape shape) : shape_(std::move(shape)) {
  require(!shape_.empty(), "reshape: \"shape\" must not be empty");
  require(std::count(shape_.begin(), shape_.end(), -1) <= 1, "reshape: at most one -1 in \"shape\"");
  for (int64_t d : shape_)
    require(d > 0 || d == -1, "reshape: \"shape\" entries must be positive (or one -1), got " +
                                  aekit::to_string(shape_));
}

LayerPtr Reshape::from_config(const nlohmann::json& c) {
  require(c.contains("shape") && c["shape"].is_array(), "needs a \"shape\" list, e.g. [1, 28, 28]");
  return std::make_unique<Reshape>(c["shape"].get<Shape>());
}

Shape Reshape::build(const Shape& in) {
  in_shape_ = in;
  const int64_t n = numel(in);
  Shape out = shape_;
  auto free = std::find(out.begin(), out.end(), -1);
  if (free != out.end()) {
    *free = 1;
    const int64_t rest = numel(out);
    require(n % rest == 0, "reshape: cannot reshape " + aekit::to_string(in) + " (" + std::to_string(n) +
                               " values) to " + aekit::to_string(shape_));
    *free = n / rest;
  }
  require(numel(out) == n, "reshape: cannot reshape " + aekit::to_string(in) + " (" + std::to_string(n) +
                               " values) to " + aekit::to_string(out) + " (" + std::to_string(numel(out)) +
                               " values)");
  out_shape_ = out;
  return out_shape_;
}

const Tensor& Reshape::forward(const Tensor& x, Mode) {
  require(x.rank() >= 1 && x.sample_size() == numel(out_shape_),
          "reshape: input has " + std::to_string(x.sample_size()) + " values per sample, layer was built for " +
              aekit::to_string(in_shape_));
  x_shape_ = x.shape();
  copy_reshaped(x, out_shape_, y_);
  return y_;
}

const Tensor& Reshape::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  copy_reshaped(dy, Shape(x_shape_.begin() + 1, x_shape_.end()), dx_);
  return dx_;
}

}  // namespace aekit::nn
