// The bf16 weight gradient of a stride-1 (transposed) convolution between channel-blocked
// tensors: our own kernel on AVX512_BF16's dot product (vdpbf16ps), in place of oneDNN 2.6's,
// which reaches 406-500 GFLOP/s on W4's 32 -> 32 and W5's 64 -> 64 layers where its bf16
// forward and data gradient reach 680-740 (ONEDNN_VERBOSE, docs/kernels-conv.md).
//
// In the convolution form (a stride-1 transposed convolution's weight gradient is a convolution's
// with x as the output side and g as the input side; conv_gemm_weight_grad.h derives it)
//
//   dW[r][s][kh][kw] = sum over samples n and output cells (i, j) of
//                      R[n][r][i][j] * S[n][s][i + kh - pt][j + kw - pl]   (S zero outside)
//
// vdpbf16ps multiplies pairs and adds both products to one fp32 sum, so the sum runs over pairs of
// samples: S is packed as [sample pair][channel group][padded cell][16 channels][2 samples] (each
// cell's 64 bytes one vector, the padding zeros written once), R as [sample pair][cell][r][2]
// (each pair one 32-bit broadcast). A tile of 8 rows x 3 vectors (a vector: 16 channels of s at
// one tap) keeps 24 sums in registers over every pair and cell of a cache-sized run of samples.
// Products of bf16 values are exact in fp32, sums are fp32; x and g are rounded to bf16 as
// bf16_array.h rounds (to nearest even), whether they arrive in fp32 or already in bf16.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/conv.h"

namespace aekit::kernels {

// Stride 1, x and g channel-blocked (so channels in groups of 16), a bf16 CPU (cpu_has_bf16()),
// and a layer whose weight gradient runs bf16 (bf16_weight_grad()). It takes the small-output
// layers from the matmul too (conv_gemm_weight_grad.h; W5's 64 -> 32 5 -> 3 backward 0.22 -> 0.10
// ms, its transposed 3 -> 5 0.33 -> 0.21 ms, aekit_conv_shapes BF16=1); the fp32 ones stay
// oneDNN's (W4's 16 -> 16 at 4 x 4 would gain 0.016 ms a step and lose fp32).
bool bf16_kernel_weight_grad_suits(const ConvSpec& s);

class Bf16WeightGrad {
 public:
  Bf16WeightGrad(const ConvSpec& s, int64_t batch);
  // x and g as the layer holds them (blocked; bf16 where spec.bf16_x / bf16_y say so under a bf16
  // precision, else fp32). dw in the caller's layout: [f, c, kh, kw], or [c, f, kh, kw] for a
  // transposed convolution. db, only for a convolution (whose g is the row side R) and when not
  // null, gets g summed over samples and cells in fp32 as g arrives, one pair of samples after
  // another whatever the thread count; a transposed convolution's caller sums its own.
  void run(const void* x, const void* g, float* dw, float* db);

 private:
  struct Side {
    const void* p;
    int64_t c, h, w;
    bool bf16;
  };
  struct Scratch {  // one thread's
    std::vector<uint32_t> s, r;  // a run of pairs packed: [pair][group][hp][wp][16][2], [pair][cell][r][2]
    std::vector<float> d;        // its sums, [r][group * taps + tap][16]
  };
  void pack_windows(const Side& s, int64_t q0, int64_t q1, uint32_t* out) const;
  void pack_rows(const Side& r, int64_t q0, int64_t q1, uint32_t* out, bool sum);  // pair_sums_ when sum
  void products(Scratch& t, int64_t pairs) const;

  ConvSpec spec_;
  int64_t batch_, pairs_;
  int64_t rows_, groups_;      // R's channels, S's channel groups
  int64_t rh_, rw_, hp_, wp_;  // R's cells, S's padded extent
  int64_t s_pair_, r_pair_, run_;  // one pair packed (uint32s), pairs per run
  std::vector<int64_t> col_;   // each vector's offset in a pair's packed S
  std::vector<Scratch> scratch_;
  std::vector<float> pair_sums_;
};

}  // namespace aekit::kernels
