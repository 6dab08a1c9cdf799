// LSTM layer: x [B, T, F] -> y [B, T, H] (return_sequences) or the last output [B, H].
//   {"type":"lstm","units":H,"return_sequences":false}
// The cell is PyTorch's nn.LSTM (gate order i, f, g, o):
//   z_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh,  [i f g o] = [sig sig tanh sig](z_t)
//   c_t = f c_{t-1} + i g,  h_t = o tanh(c_t),  h_{-1} = c_{-1} = 0
// Params carry torch.nn.LSTM's names and layouts (weight_ih_l0 [4H,F], weight_hh_l0 [4H,H],
// bias_ih_l0 [4H], bias_hh_l0 [4H]), so a state dict loads straight into torch.
// A reversed layer (what Bidirectional builds for its backward direction) reads the sequence
// from t = T-1 down to 0 and writes h at the time step it read, like PyTorch's reverse direction;
// its last output is the one at t = 0.
//
// Speed: everything runs time-major internally. Forward does the input projection for all T
// steps as ONE matmul, then per step one accumulate-matmul h_{t-1} W_hh^T and a fused, vectorised
// gate loop. Backward keeps the gates and cell states from forward (tanh(c) is recomputed: the
// same vector tanh on the same c, so the same bits, and 6.5 MB less per direction of W7's
// BiLSTM(512) for ~1 % more work in its backward), runs the per-step
// chain (fused gate gradients + dG_t W_hh), and computes dW_ih, dW_hh, the biases and dx each as
// ONE matmul over all steps. An input that is the same at every step (after RepeatVector) is
// projected once per sample, and its dW_ih comes from the gate gradients summed over time; fused
// after a RepeatVector (nn/fusable.h), dx is that sum times W_ih, [B, F], the gradient the
// RepeatVector would have summed.
#pragma once
#include <cstdint>
#include <vector>

#include "nn/layer.h"

namespace aekit::nn {

class Lstm : public Layer, public Fusable {
 public:
  Lstm(int64_t units, bool return_sequences = false, bool reverse = false);
  // {"type": "lstm", "units": 512, "return_sequences": false}. "type" is a key of its own here
  // because Bidirectional nests the same object.
  struct Options {
    std::string type = "lstm";
    int64_t units = 0;
    bool return_sequences = false;
  };
  static const config::Schema<Options>& schema();
  explicit Lstm(const Options& o) : Lstm(o.units, o.return_sequences) {}
  std::string type() const override { return "lstm"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  // keras: W_ih Glorot uniform, W_hh orthogonal, biases zero except the forget gate's b_ih = 1
  // (Keras's unit_forget_bias). pytorch: everything U(-1/sqrt(H), 1/sqrt(H)).
  void init(Rng& rng, Init scheme) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  double flops_per_sample() const override { return 2.0 * steps_ * 4 * units_ * (in_ + units_); }
  Fusable* as_fusable() override { return this; }
  bool can_sum_dx_over_steps() const override { return true; }
  void sum_dx_over_steps(bool on) override { sum_dx_ = on; }

  int64_t units() const { return units_; }
  bool return_sequences() const { return return_sequences_; }

 private:
  int64_t units_, in_ = 0, steps_ = 0;
  bool return_sequences_, reverse_;
  Tensor w_ih_, w_hh_, b_ih_, b_hh_, dw_ih_, dw_hh_, db_ih_, db_hh_;
  // Forward state, time-major in processing order s (s = t, or T-1-t when reversed):
  Tensor xs_;      // [T, B, F] the input ([1, B, F] when repeated_)
  Tensor gates_;   // [T, B, 4H] activated gates i f g o; backward overwrites them with their gradients
  Tensor cells_;   // [T + 1, B, H] c_{s-1} (slot 0: the zero state)
  Tensor hs_;      // [T + 1, B, H] h_{s-1} (slot 0: the zero state)
  Tensor bias_;    // [4H] b_ih + b_hh
  Tensor y_;
  // Backward buffers.
  Tensor w_hh_t_;  // [H, 4H] W_hh^T for the backward chain
  Tensor dh_, dc_, zeros_, dz_sum_, dxs_, dx_, partial_, scratch_, tanh_rows_;
  // Under a bf16 compute precision, the gate gradients also in bf16 ([T, B, 4H]), written as each
  // row is made: the products that read them (the recurrence, dW_ih, dW_hh, dx) then convert
  // nothing (W7: three conversions of a 26 MB tensor per pass, ~13 % of a bf16 epoch).
  std::vector<uint16_t> dgates16_;
  int64_t batch_ = 0;
  bool repeated_ = false;  // the last input was the same at every step (RepeatVector)
  bool sum_dx_ = false;    // backward returns dx summed over the steps, [B, F] (fused after RepeatVector)
};

}  // namespace aekit::nn
