// Direct convolution on plain NCHW data, for the stride-1 layers oneDNN's blocked kernels handle
// badly: fewer than 8 input or output channels (an image autoencoder's first and last layers).
// oneDNN pads channels to blocks of 8, so a 32 -> 1 layer does 8x the work, and around every
// call the blocked layouts cost reorders of the (largest) activations; see docs/kernels-conv.md.
//
// Per sample, the output is cut into tiles of a few rows by one or two vectors of columns. A
// tile reads every input row that reaches it straight from the NCHW planes, shifted by each
// kernel column, through masked loads that zero whatever falls into the padding: nothing is
// copied into bordered planes, and the output is stored (activated) straight into y. Each
// loaded vector serves every kernel row that maps it into the tile, with the tile's
// accumulators and one kernel column's weights in registers. The data gradient is the same
// correlation of the output gradient with the flipped, transposed kernel; the weight gradient
// holds a tile of the output gradient in registers and reads the input rows the same way.
// Threads split the batch; each has its own weight-gradient accumulators, summed in thread order
// at the end (deterministic for a given thread count). relu and leaky_relu are applied as the
// tiles are stored; sigmoid and tanh by oneDNN's vectorised eltwise primitive over the whole
// output, in place.
#pragma once
#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>

#include "kernels/conv.h"
#include "kernels/simd.h"

namespace aekit::kernels {

// Stride 1, padding (a transposed conv's crop) in [0, kernel - 1], kernel height <= 7, fewer
// than 8 channels on a side. A stride-1 transposed conv runs as the convolution with the
// flipped kernel.
bool direct_suits(const ConvSpec& s);
std::unique_ptr<Conv::Plan> make_direct_plan(const ConvSpec& s, int64_t batch);

// Shared by the plain and the channel-blocked direct plans (conv_direct_blocked.h):

// A stride-1 transposed convolution is the convolution with the flipped kernel
// (w'[f][c] = flip(w[c][f])) and padding kernel - 1 - crop on each side.
ConvSpec as_convolution(ConvSpec s);
// dst[j][i][t] = src[i][j][taps - 1 - t] for i < a, j < b: swaps the two channel axes and
// turns the kernel by 180 degrees.
void flip_transpose(const float* src, int64_t a, int64_t b, int64_t taps, float* dst);

// One sample's stride-1 correlation on plain planes with zero padding, the plain direct kernel's
// forward (tiles of columns in the lanes, conv_direct.cpp):
//   out[f][i][j] = act(bias[f] + sum_c sum_{ky, kx} w[f][c][ky][kx] * in[c][i + ky - pt][j + kx - pl])
// in: n_in planes of h x w, out: n_out planes of oh x ow, bias may be null; act relu /
// leaky_relu (alpha) or none. The blocked plan runs its wide -> narrow direction with it.
class PlaneCorrelation {
 public:
  PlaneCorrelation(int64_t n_in, int64_t h, int64_t w, int64_t n_out, int64_t oh, int64_t ow, int64_t kh, int64_t kw,
                   int64_t pt, int64_t pl);
  ~PlaneCorrelation();
  PlaneCorrelation(PlaneCorrelation&&) noexcept;
  PlaneCorrelation& operator=(PlaneCorrelation&&) noexcept;
  void operator()(const float* in, const float* w, const float* bias, Fused act, float alpha, float* out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// sigmoid / tanh over a plan's whole output, in place, by oneDNN's vectorised eltwise primitive
// (the tiles apply relu and leaky_relu as they store them); nothing for the other activations.
class OutputSquash {
 public:
  OutputSquash(Fused act, int64_t n);  // n: values in the output
  void operator()(float* y);

 private:
  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  std::optional<dnnl::eltwise_forward> squash_;
  dnnl::memory y_mem_;
};

// relu / leaky_relu / nothing (sigmoid and tanh are left to oneDNN's eltwise primitive). NaN
// stays NaN (NaN <= 0 is false), as in oneDNN's and PyTorch's relu.
inline simd::vf activate(simd::vf v, Fused act, float alpha) {
  const simd::vf zero = simd::splat(0);
  switch (act) {
    case Fused::relu: return v <= zero ? zero : v;
    case Fused::leaky_relu: return v <= zero ? v * alpha : v;
    default: return v;
  }
}

}  // namespace aekit::kernels
