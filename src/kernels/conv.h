// The 2-D convolution kernel, the one door to convolution for the layers: oneDNN's convolution
// and deconvolution (transposed convolution) primitives, or, for stride-1 layers with fewer than
// 8 channels on a side, a direct kernel (conv_direct.h; conv_direct_blocked.h when the wide side
// is channel-blocked). A oneDNN plan's weight gradient is
// one matmul instead where the output has a few cells (conv_gemm_weight_grad.h); its transposed
// convolutions' bias gradient is summed here. docs/kernels-conv.md has the measurements behind
// the split.
//
//   forward:   y = act(conv(x, w) + b)
//   backward:  from g = dL/d(conv(x, w) + b): dw, db and, only when asked, dx
//              g comes through OutputGrad: dL/dy itself (no activation), or a function that
//              makes g for a range of elements, so the direct kernel can make it one sample at
//              a time while that sample is in cache instead of in a separate pass over memory.
//
// Callers hold plain layouts unless the spec says otherwise (blocked, bf16): x, y, g, dx are NCHW; w is [f, c, kh, kw] for a convolution
// (PyTorch Conv2d.weight) and [c, f, kh, kw] for a transposed one (PyTorch
// ConvTranspose2d.weight). oneDNN's primitives pick their own (blocked) layouts; cached reorders
// convert at the edges. One plan per batch size holds the primitives, reorders and buffers, so
// after the first step of a batch size nothing is created or allocated. Under a bf16 compute
// precision (kernels/precision.h) the oneDNN plans read x, w and g as bf16 (converted by those
// reorders) and write y, dw, db and dx in fp32 — except the weight gradient where
// bf16_weight_grad() says no, which reads x and g in fp32; the direct kernel stays fp32 (one to seven
// channels on a side: bound by memory traffic, not by multiply-adds). oneDNN's backward
// primitives are made on first use (eval-only batch sizes never build them), the data-gradient
// one only when a dx is asked for.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "kernels/matmul.h"
#include "kernels/precision.h"

namespace aekit::kernels {

struct ConvSpec {
  int64_t c = 0, f = 0;    // input and output channels
  int64_t h = 0, w = 0;    // input height and width
  int64_t kh = 1, kw = 1;  // kernel
  int64_t sh = 1, sw = 1;  // stride
  // Padding of the convolution; for a transposed one, rows/columns cropped from the full
  // output ((in - 1) * stride + kernel). Negative bottom/right: zero rows appended there.
  int64_t pt = 0, pl = 0, pb = 0, pr = 0;
  bool transposed = false;
  bool bias = true;
  Fused act = Fused::none;
  float alpha = 0.0f;  // leaky_relu slope
  // x (and dx) / y (and g) in the channel-blocked layout nChw16c instead of NCHW (kernels/
  // blocked.h); a side whose channels are a multiple of 16 (takes_blocked() / gives_blocked()).
  bool blocked_x = false, blocked_y = false;
  // Under a bf16 compute precision, x (and dx) / y (and g) in bf16 too, on a blocked side
  // (takes_bf16() / gives_bf16(); fusable.h's set_bf16). Under fp32 these change nothing.
  bool bf16_x = false, bf16_y = false;

  int64_t out_h() const;
  int64_t out_w() const;
};

// dL/d(pre-activation output), NCHW: `dy` when `make` is empty, else make(begin, n, g) writes it
// for the elements [begin, begin + n) of the batch into g (it may be called from worker threads).
struct OutputGrad {
  const float* dy = nullptr;
  std::function<void(int64_t begin, int64_t n, float* g)> make;
  // For relu / leaky_relu also the layer's output y and the slope left of zero: then
  // g = (y > 0 ? 1 : slope) * dy, which the plain direct kernel folds into its weight-gradient
  // loads when no data gradient is asked for (nothing else needs g then); the blocked one makes
  // g one sample at a time.
  const float* y = nullptr;
  float slope = 0.0f;
};

// Whether a bf16 plan's weight gradient reads x and g in bf16 too. oneDNN 2.6's bf16 weight-
// gradient kernels lose to its fp32 ones on strided transposed convolutions and on convolutions
// with few input channels or small outputs (ONEDNN_VERBOSE per primitive, W4 / W5 / W10 shapes,
// docs/precision.md): those stay fp32. The rest run bf16: 16+ input channels and outputs of
// 7 x 7 or more, or with a stride, more than 10 x 10 (W10's 64 -> 128 stride 2 at 8 x 8 took
// 32 ms per call in bf16 against 2.7 ms in fp32; W5's 64 -> 64 stride 1 at 10 x 10 wins, 2,627 vs
// 2,992 ms an epoch). A stride-1 transposed convolution's weight gradient is a convolution's with
// x as the output: the same rule on x (W5's 64 -> 64 10 -> 12: bf16 epoch 11.36 s against 12.25,
// Zen 5). Layers whose weight gradient is a matmul (conv_gemm_weight_grad.h) read bf16 too.
bool bf16_weight_grad(const ConvSpec& s);

class Conv {
 public:
  explicit Conv(const ConvSpec& spec);
  ~Conv();
  Conv(Conv&&) noexcept;
  Conv& operator=(Conv&&) noexcept;

  // Whether x / y may be in the channel-blocked layout: channels in blocks of 16 (a direct
  // layer's wide side then runs conv_direct_blocked.h).
  bool takes_blocked() const;
  bool gives_blocked() const;
  // Whether x / y may also be bf16: a blocked side whose weight gradient is not the matmul
  // (conv_gemm_weight_grad.h reads fp32), and y only for a convolution (a transposed one sums
  // its bias gradient from fp32 g here).
  bool takes_bf16() const;
  bool gives_bf16() const;

  // b may be null when spec.bias is false.
  void forward(int64_t batch, const float* x, const float* w, const float* b, float* y);
  // Gradients for the last forward's batch (x must be unchanged since). db may be null without
  // bias; dx == nullptr skips the data gradient.
  void backward(const OutputGrad& g, const float* w, float* dw, float* db, float* dx);

  // What runs one batch size: oneDNN primitives (conv.cpp) or the direct kernel (conv_direct.h).
  class Plan {
   public:
    virtual ~Plan() = default;
    virtual void forward(const float* x, const float* w, const float* b, float* y) = 0;
    virtual void backward(const OutputGrad& g, const float* w, float* dw, float* db, float* dx) = 0;
  };

 private:
  ConvSpec spec_;
  using PlanKey = std::tuple<int64_t, int, Precision>;  // batch size, thread count, compute precision
  std::map<PlanKey, std::unique_ptr<Plan>> plans_;
  Plan* last_ = nullptr;
};

}  // namespace aekit::kernels
