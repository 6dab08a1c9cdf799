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

const config::Schema<Reshape::Options>& Reshape::schema() {
  static const auto s = config::Schema<Options>("reshape")
                            .required("shape", &Options::shape, config::at_least(-1))
                            .finally([](Options& o, const std::string& path) {
                              if (o.shape.empty()) config::fail(config::join(path, "shape"), "must not be empty");
                              if (std::count(o.shape.begin(), o.shape.end(), -1) > 1 ||
                                  std::count(o.shape.begin(), o.shape.end(), 0) > 0)
                                config::fail(config::join(path, "shape"), "entries must be positive, one may be -1");
                            });
  return s;
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
