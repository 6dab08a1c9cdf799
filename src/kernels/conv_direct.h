// Direct convolution on plain NCHW data, for the stride-1 layers oneDNN's blocked kernels handle
// badly: fewer than 8 input or output channels (an image autoencoder's first and last layers).
// oneDNN pads channels to blocks of 8, so a 32 -> 1 layer does 8x the work, and around every
// call the blocked layouts cost reorders of the (largest) activations; see docs/kernels-conv.md.
//
// Per sample, the input is copied into a zero-bordered plane of padded width Wp, so every kernel
// tap is one shifted contiguous read: the output is computed on rows of stride Wp (the Wp - OW
// extra columns are discarded) by register-blocked multiply-adds. The data gradient is the same
// correlation of the zero-bordered output gradient with the flipped, transposed kernel; the
// weight gradient is a multiply-add reduction of shifted input rows against the output gradient.
// Threads split the batch; each has its own scratch planes and weight-gradient accumulators,
// summed in thread order at the end (deterministic for a given thread count). relu and
// leaky_relu are applied while copying the output out; sigmoid and tanh by oneDNN's vectorised
// eltwise primitive over the whole output, in place.
#pragma once
#include <memory>

#include "kernels/conv.h"

namespace aekit::kernels {

// Stride 1, padding (a transposed conv's crop) in [0, kernel - 1], fewer than 8 channels on a
// side. A stride-1 transposed conv runs as the convolution with the flipped kernel.
bool direct_suits(const ConvSpec& s);
std::unique_ptr<Conv::Plan> make_direct_plan(const ConvSpec& s, int64_t batch);

}  // namespace aekit::kernels
