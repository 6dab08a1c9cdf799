// Direct convolution with its many-channel side in the channel-blocked layout nChw16c
// (kernels/blocked.h): an image autoencoder's first and last layers (one to seven channels on
// one side, 16, 32, 48 ... on the other) when Sequential joins them to a blocked neighbour such
// as max-pooling or upsampling. The plain kernel (conv_direct.h) puts a plane's columns in the
// vector lanes and wastes the lanes past a row's end (24 or 28 columns in two 16-lane vectors);
// here the wide side's channels fill the lanes instead, and the narrow side, small enough to
// copy, is padded once per sample so that no load needs a mask. Two tile kernels:
//   spread  narrow -> wide: each wide vector += weights x one narrow value broadcast
//           (a forward with a wide output; the data gradient of a wide input)
//   gather  the weight gradient: wide vectors x broadcast narrow values, summed over the pixels
// The wide -> narrow direction (a forward with a wide input, the data gradient of a wide output)
// unblocks the wide side one sample at a time and runs the plain kernel's correlation, which
// wastes few lanes on a narrow output: a kernel adding across the lanes instead ran W5's last
// forward in 0.83-1.1 ms against 0.66 this way (docs/kernels-conv.md).
// Threads split the batch, with their own weight-gradient sums added in thread order
// (deterministic for a given thread count).
#pragma once
#include <cstdint>
#include <memory>

#include "kernels/conv.h"

namespace aekit::kernels {

// A direct_suits() layer whose wide side is asked for blocked (spec.blocked_x or blocked_y).
bool direct_blocked_suits(const ConvSpec& s);
std::unique_ptr<Conv::Plan> make_direct_blocked_plan(const ConvSpec& s, int64_t batch);

}  // namespace aekit::kernels
