#include "nn/flatten.h"

#include <cstring>

#include "tensor/error.h"

namespace aekit::nn {

void copy_reshaped(const Tensor& from, const Shape& sample, Tensor& to) {
  Shape s{from.dim(0)};
  s.insert(s.end(), sample.begin(), sample.end());
  to.resize(s);
  std::memcpy(to.data(), from.data(), from.size() * sizeof(float));
}

const config::Schema<Flatten::Options>& Flatten::schema() {
  static const auto s = config::Schema<Options>("flatten");
  return s;
}

Shape Flatten::build(const Shape& in) {
  in_shape_ = in;
  require(numel(in) > 0, "flatten: empty input shape " + aekit::to_string(in));
  out_shape_ = {numel(in)};
  return out_shape_;
}

const Tensor& Flatten::forward(const Tensor& x, Mode) {
  require(x.rank() >= 1 && x.sample_size() == out_shape_[0],
          "flatten: input has " + std::to_string(x.sample_size()) + " values per sample, layer was built for " +
              aekit::to_string(in_shape_));
  x_shape_ = x.shape();
  copy_reshaped(x, out_shape_, y_);
  return y_;
}

const Tensor& Flatten::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  copy_reshaped(dy, Shape(x_shape_.begin() + 1, x_shape_.end()), dx_);
  return dx_;
}

}  // namespace aekit::nn
