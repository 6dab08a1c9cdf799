// oneDNN's channel-blocked activation layout nChw16c, [B][C/16][H][W][16]: the layout its
// convolutions compute in. Layers that can read or write it (oneDNN convolutions, max-pooling,
// upsampling) are joined in it by Sequential (models/sequential.cpp), so no reorder runs
// between them; shapes stay [B, C, H, W], only the order of the values differs. See
// docs/kernels-conv.md for what that saves.
#pragma once
#include <cstdint>

namespace aekit::kernels {

constexpr int64_t kChannelBlock = 16;

// One group of 16 channels of one sample: `blocked` is [hw][16] (the group's part of an
// nChw16c tensor), `planes` is 16 planes of hw values one after another (the same channels in
// NCHW). 16 x 16 tiles are transposed in registers.
void unblock_group(const float* blocked, int64_t hw, float* planes);
void block_group(const float* planes, int64_t hw, float* blocked);

}  // namespace aekit::kernels
