// activity_l1: Keras's activity_regularizer=l1(coef) as a pass-through layer placed after the
// layer whose output it penalises (e.g. the code layer of a sparse autoencoder).
//   forward: y = x; in train mode penalty = coef * sum|x| / batch (Keras divides activity
//            penalties by the batch size, so it is a per-sample sum averaged over the batch).
//   backward: dx = dy + coef * sign(x) / batch.
#pragma once
#include "nn/layer.h"

namespace aekit::nn {

class ActivityL1 : public Layer {
 public:
  explicit ActivityL1(float coef);
  // {"type": "activity_l1", "coef": 1e-4}
  struct Options {
    float coef = 1e-4f;
  };
  static const config::Schema<Options>& schema();
  explicit ActivityL1(const Options& o) : ActivityL1(o.coef) {}
  std::string type() const override { return "activity_l1"; }
  nlohmann::json config() const override { return with_type(type(), schema().write({coef_})); }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  double penalty() const override { return penalty_; }

 private:
  float coef_;
  const Tensor* x_ = nullptr;
  double penalty_ = 0.0;
  Tensor dx_;
};

}  // namespace aekit::nn
