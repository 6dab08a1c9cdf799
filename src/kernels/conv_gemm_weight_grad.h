// The weight gradient of a (transposed) convolution whose output has a few cells, as one matrix
// product. In the convolution form (a transposed convolution's weight gradient is the
// convolution's with x and g exchanged: x plays the output) the weight gradient is
//
//   dW[r][s][tap] = sum over samples n and output cells p of  R[n][r][p] * S[n][s][p's window at tap]
//
// with R the output side (g; x for a transposed convolution) and S the other. Packed as A =
// [r][n * cells] and col = [n * cells][tap][s] (S's windows, im2col), that is A . col, one
// matmul (kernels/matmul.h: bf16 under a bf16 compute precision, as the oneDNN plans' products).
// oneDNN 2.6's weight-gradient kernels spread such shapes thinly over their blocked loops: W5's
// bottleneck (its decoder's 1x1 -> 3x3 -> 5x5 transposed convolutions, its encoder's 5x5 -> 3x3)
// ran at 35-80 GFLOP/s in fp32 and slower in bf16, 0.85 s of a W5 epoch in either precision.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/conv.h"

namespace aekit::kernels {

// A oneDNN-planned layer whose convolution-form output has at most 25 cells (5 x 5), with 32+
// channels on each side: with 16 (W4's 16 -> 16 at 4 x 4) the product has too few rows to beat
// oneDNN (0.29 ms against 0.07 per backward), and under bf16 packing its long window matrix for
// oneDNN's matmul costs ten times the product. col holds taps x cells x channels values a sample.
bool gemm_weight_grad_suits(const ConvSpec& s);

class GemmWeightGrad {
 public:
  GemmWeightGrad(const ConvSpec& s, int64_t batch);
  // x and g as the layer holds them (channel-blocked where the spec says so); dw is written in the
  // caller's layout: [f, c, kh, kw], or [c, f, kh, kw] for a transposed convolution.
  void run(const float* x, const float* g, float* dw);

 private:
  // One side of the product: a [batch, c, h, w] tensor, plain or channel-blocked.
  struct Side {
    const float* p;
    int64_t c, h, w;
    bool blocked;
  };
  void pack_rows(const Side& r);                           // a_ = [r.c][batch * cells]
  void windows(const Side& s, int64_t oh, int64_t ow);     // col_ = [batch * cells][taps][s.c]

  ConvSpec s_;
  int64_t batch_;
  std::vector<float> a_, col_, dwt_;  // dwt_: the product, [r][tap][s], before dw's order
  std::vector<std::vector<float>> planes_;  // per thread: one unblocked channel group of R
};

}  // namespace aekit::kernels
