#include "nn/activity_l1.h"

#include <cmath>

#include "tensor/error.h"

namespace aekit::nn {

ActivityL1::ActivityL1(float coef) : coef_(coef) {
  require(coef >= 0, "activity_l1: coef must be >= 0");
}

const config::Schema<ActivityL1::Options>& ActivityL1::schema() {
  static const auto s = config::Schema<Options>("activity_l1").key("coef", &Options::coef, config::at_least(0));
  return s;
}

Shape ActivityL1::build(const Shape& in) {
  in_shape_ = out_shape_ = in;
  return in;
}

const Tensor& ActivityL1::forward(const Tensor& x, Mode mode) {
  x_ = &x;
  penalty_ = 0.0;
  if (mode == Mode::train) {
    double s = 0;
    for (float v : x) s += std::fabs(v);
    penalty_ = coef_ * s / x.dim(0);
  }
  return x;  // pass-through: no copy
}

const Tensor& ActivityL1::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  dx_.resize(dy.shape());
  const float k = coef_ / static_cast<float>(dy.dim(0));
  for (int64_t i = 0; i < dy.size(); ++i) {
    float v = (*x_)[i];
    dx_[i] = dy[i] + (v > 0 ? k : (v < 0 ? -k : 0.0f));
  }
  return dx_;
}

}  // namespace aekit::nn
