// RepeatVector: x [B, F] -> y [B, n, F], y[b, t] = x[b] for every t (Keras's RepeatVector).
//   {"type":"repeat_vector","n":50}
// Backward sums dy over the n time steps. No parameters. Fusable: a recurrent layer after it may
// hand back dy already summed over the steps ([B, F], nn/fusable.h); then backward copies it.
#pragma once
#include "nn/layer.h"

namespace aekit::nn {

class RepeatVector : public Layer, public Fusable {
 public:
  explicit RepeatVector(int64_t n);
  // The registry's factory: "n" (positive integer).
  // {"type": "repeat_vector", "n": 50}
  struct Options {
    int64_t n = 0;
  };
  static const config::Schema<Options>& schema();
  explicit RepeatVector(const Options& o) : RepeatVector(o.n) {}
  std::string type() const override { return "repeat_vector"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  Fusable* as_fusable() override { return this; }
  bool gives_repeated() const override { return true; }
  void take_step_summed_dy(bool on) override { summed_dy_ = on; }

 private:
  int64_t n_, features_ = 0;
  bool summed_dy_ = false;
  Tensor y_, dx_;
};

}  // namespace aekit::nn
