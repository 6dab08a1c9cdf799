// Bidirectional LSTM: a forward LSTM and a reversed copy (reads t = T-1 .. 0) over the same input,
// outputs merged by "sum" or "concat" ([forward, backward] along the last axis, as PyTorch's
// bidirectional nn.LSTM and Keras's Bidirectional order them).
//   {"type":"bidirectional","merge":"sum","layer":{"type":"lstm","units":H,"return_sequences":false}}
// With return_sequences the backward direction's output at t is its state after reading
// x_{T-1} .. x_t; without, its last output is the state after reading x_0 (PyTorch's h_n[1]).
// Params: the forward direction's names (weight_ih_l0, ...) and the backward direction's with
// the suffix "_reverse" (weight_ih_l0_reverse, ...): with merge concat the state dict loads into
// torch.nn.LSTM(bidirectional=True, batch_first=True) as is.
#pragma once
#include "nn/lstm.h"

namespace aekit::nn {

class Bidirectional : public Layer, public Fusable {
 public:
  enum class Merge { sum, concat };
  Bidirectional(Merge merge, int64_t units, bool return_sequences);
  // {"type": "bidirectional", "merge": "concat" (Keras's default) | "sum", "layer": {lstm}}
  struct Options {
    Merge merge = Merge::concat;
    Lstm::Options layer;
  };
  static const config::Schema<Options>& schema();
  explicit Bidirectional(const Options& o) : Bidirectional(o.merge, o.layer.units, o.layer.return_sequences) {}
  std::string type() const override { return "bidirectional"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  void init(Rng& rng, Init scheme) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  // After a RepeatVector both directions return dx summed over the steps (nn/fusable.h).
  Fusable* as_fusable() override { return this; }
  bool can_sum_dx_over_steps() const override { return true; }
  void sum_dx_over_steps(bool on) override {
    fwd_.sum_dx_over_steps(on);
    bwd_.sum_dx_over_steps(on);
  }
  double flops_per_sample() const override {
    return fwd_.flops_per_sample() + bwd_.flops_per_sample();
  }


 private:
  Merge merge_;
  Lstm fwd_, bwd_;
  Tensor y_, dy_fwd_, dy_bwd_, dx_;
};

}  // namespace aekit::nn
