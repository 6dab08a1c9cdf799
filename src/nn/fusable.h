// The optional second contract a layer may sign: fusion with its neighbours. A layer that does not
// implement it runs on its own with plain NCHW activations, which is always correct; Sequential
// asks each layer for this interface (as_fusable) and joins neighbours that both offer a fusion.
//
//   takes_blocked() / gives_blocked() / set_blocked(in, out)
//       activation layout (kernels/blocked.h): a layer that can read its input / write its output
//       in oneDNN's channel-blocked nChw16c layout says so; Sequential then calls set_blocked for
//       the boundaries it joins that way (both neighbours able), after build and before the first
//       forward. With `in` set, forward's x and backward's dx are blocked; with `out`, its y and
//       backward's dy. Shapes stay [B, C, H, W].
//   takes_bf16() / gives_bf16() / set_bf16(in, out)
//       activation type on a channel-blocked boundary: where both neighbours can, Sequential
//       (after the calls above and below, so a layer may base its answer on them) calls set_bf16
//       for the blocked boundaries they share; under a bf16 compute precision (kernels/
//       precision.h) those hold bf16 instead of fp32, in the Tensor's float buffer (its first
//       half; shapes unchanged): x and dx with `in`, y and dy with `out`. Under fp32 nothing
//       changes. Halves the bytes the memory-bound layers between two bf16 convolutions move and
//       spares the convolutions their conversions.
//   bf16_passes_through()
//       a layer that only moves values (pooling, upsampling) holds bf16 on one side only if on
//       the other: between two bf16 products every rounding it sees would happen anyway, but a
//       bf16 value it handed to fp32 work (a direct convolution, the stack's output) or a bf16
//       gradient it handed back to one would lose what that fp32 work keeps. Measured on W4's
//       denoiser, 3 epochs, 3 seeds: test loss +0.8 % against no bf16 boundaries when its first
//       pooling, last upsampling and code were bf16 too; -0.1 % with this rule.
//   relu_slope() / defer_act_grad(on) / can_apply_relu_grad() / apply_relu_grad(on, slope)
//       activation-gradient hand-over: a layer whose output is relu or leaky_relu of what it
//       computed reports the slope left of zero (0 for relu; -1: not such a layer). Max-pooling
//       and upsampling commute with those activations, so they can apply the derivative on their
//       smaller side (pooled output / upsampling input); Sequential then tells the producer to
//       defer_act_grad (its dy arrives as dL/d(pre-activation)) and the consumer to
//       apply_relu_grad. Saves a pass over the larger tensor.
//   gives_repeated() / take_step_summed_dy(on) / can_sum_dx_over_steps() / sum_dx_over_steps(on)
//       a repeated input's gradient summed where it is made: a layer whose output repeats its
//       input at every step (RepeatVector) would sum its dy over the steps; a recurrent layer after
//       it can form that sum itself, (sum_t dz_t) W_ih in one small product instead of a
//       [B, T, F] gradient. Sequential then tells the recurrent layer to return dx as [B, F],
//       already summed, and the repeater to take its dy that way. Saves W7's decoder 33 MB.
#pragma once

namespace aekit::nn {

class Fusable {
 public:
  virtual ~Fusable() = default;
  virtual bool takes_blocked() const { return false; }
  virtual bool gives_blocked() const { return false; }
  virtual void set_blocked(bool in, bool out) {}
  virtual bool takes_bf16() const { return false; }
  virtual bool gives_bf16() const { return false; }
  virtual void set_bf16(bool in, bool out) {}
  virtual bool bf16_passes_through() const { return false; }
  virtual float relu_slope() const { return -1.0f; }
  virtual void defer_act_grad(bool on) {}
  virtual bool can_apply_relu_grad() const { return false; }
  virtual void apply_relu_grad(bool on, float slope) {}
  virtual bool gives_repeated() const { return false; }
  virtual void take_step_summed_dy(bool on) {}
  virtual bool can_sum_dx_over_steps() const { return false; }
  virtual void sum_dx_over_steps(bool on) {}
};

}  // namespace aekit::nn
