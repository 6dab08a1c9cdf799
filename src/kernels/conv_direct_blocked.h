// Direct convolution with its many-channel side in the channel-blocked layout nChw16c
// (kernels/blocked.h): an image autoencoder's first and last layers (one to seven channels on
// one side, 16, 32, 48 ... on the other) when Sequential joins them to a blocked neighbour such
// as max-pooling or upsampling. The plain kernel (conv_direct.h) puts a plane's columns in the
// vector lanes and wastes the lanes past a row's end (24 or 28 columns in two 16-lane vectors);
// here the wide side's channels fill the lanes instead, and the narrow side, small enough to
// copy, is padded once per sample so that no load needs a mask. Three tile kernels:
//   spread  narrow -> wide: each wide vector += weights x one narrow value broadcast
//           (a forward with a wide output; the data gradient of a wide input)
//   reduce  wide -> narrow: one vector per output pixel summed over channels and taps, the lanes
//           added across at the end (a forward with a wide input; the data gradient of a wide
//           output), reading a padded per-sample copy of the wide side
//   gather  the weight gradient: wide vectors x broadcast narrow values, summed over the pixels
// Threads split the batch, with their own weight-gradient sums added in thread order
// (deterministic for a given thread count). docs/kernels-conv.md has the measurements.
#pragma once
#include <cstdint>
#include <memory>

#include "kernels/conv.h"

namespace aekit::kernels {

// A direct_suits() layer whose wide side is asked for blocked (spec.blocked_x or blocked_y).
bool direct_blocked_suits(const ConvSpec& s);
std::unique_ptr<Conv::Plan> make_direct_blocked_plan(const ConvSpec& s, int64_t batch);

}  // namespace aekit::kernels
