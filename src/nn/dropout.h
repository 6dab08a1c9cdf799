// dropout: inverted dropout (Keras Dropout, PyTorch Dropout). {"type":"dropout","rate":0.2}
//   train: each value is kept with probability 1 - rate and scaled by 1 / (1 - rate), else 0;
//          backward multiplies dy by the same mask.
//   eval:  identity.
// The keep/drop draws are keyed by the generator given by set_rng: one 64-bit draw per train
// forward, then value i gets u = hash(i, draw) in [0, 1) with 24 bits and is kept when
// u >= rate. Runs are reproducible (for any thread count); train mode without a generator is
// an error.
#pragma once
#include "nn/layer.h"

namespace aekit::nn {

class Dropout : public Layer {
 public:
  explicit Dropout(float rate);
  // {"type": "dropout", "rate": 0.5}
  struct Options {
    float rate = 0;
  };
  static const config::Schema<Options>& schema();
  explicit Dropout(const Options& o) : Dropout(o.rate) {}
  std::string type() const override { return "dropout"; }
  nlohmann::json config() const override { return with_type(type(), schema().write({rate_})); }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  void set_rng(Rng* rng) override { rng_ = rng; }

 private:
  float rate_;
  Rng* rng_ = nullptr;
  Mode mode_ = Mode::eval;
  Tensor mask_;  // 0 or 1 / (1 - rate) per value, of the last train forward
  Tensor y_, dx_;
};

}  // namespace aekit::nn
