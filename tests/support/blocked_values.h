// An NCHW array of values in oneDNN's channel-blocked layout nChw16c (kernels/blocked.h), one
// group of 16 channels at a time: inputs for kernel tests that take blocked arrays.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/blocked.h"

namespace aekit::testing {

// t: [n, c, h, w] with c a multiple of 16 and hw = h * w.
inline std::vector<float> blocked(const std::vector<float>& t, int64_t hw) {
  constexpr int64_t G = kernels::kChannelBlock;
  std::vector<float> b(t.size());
  for (size_t g = 0; g < t.size() / (G * hw); ++g) kernels::block_group(t.data() + g * G * hw, hw, b.data() + g * G * hw);
  return b;
}

// The inverse: a blocked array of [n, c, h, w] back to NCHW.
inline std::vector<float> unblocked(const std::vector<float>& b, int64_t hw) {
  constexpr int64_t G = kernels::kChannelBlock;
  std::vector<float> t(b.size());
  for (size_t g = 0; g < b.size() / (G * hw); ++g) kernels::unblock_group(b.data() + g * G * hw, hw, t.data() + g * G * hw);
  return t;
}

}  // namespace aekit::testing
