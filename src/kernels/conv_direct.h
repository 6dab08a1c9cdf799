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

#include "kernels/conv.h"

namespace aekit::kernels {

// Stride 1, padding (a transposed conv's crop) in [0, kernel - 1], kernel height <= 7, fewer
// than 8 channels on a side. A stride-1 transposed conv runs as the convolution with the
// flipped kernel.
bool direct_suits(const ConvSpec& s);
std::unique_ptr<Conv::Plan> make_direct_plan(const ConvSpec& s, int64_t batch);

}  // namespace aekit::kernels
