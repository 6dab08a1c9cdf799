// For layers that work plane by plane (max-pooling, upsampling) and may meet their neighbours
// in the channel-blocked layout (kernels/blocked.h, layer.h's set_blocked): runs the layer's
// plain-plane code over a batch whichever layout each side is in.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/blocked.h"
#include "kernels/parallel.h"

namespace aekit::nn {

// f(in, out, plane0, n) maps the n consecutive planes plane0 .. plane0 + n - 1 (plane = sample
// * C + channel) from `in` (in_hw values each) to `out` (out_hw each), both plain. With both
// sides plain it runs on the tensors themselves; otherwise per group of 16 channels of a
// sample, a blocked side is converted in per-thread scratch (in cache) around f. `scratch`
// holds those buffers between calls.
template <class F>
void for_planes(int64_t planes, int64_t in_hw, int64_t out_hw, const float* in, bool in_blocked, float* out,
                bool out_blocked, std::vector<std::vector<float>>& scratch, F&& f) {
  if (!in_blocked && !out_blocked) {
    kernels::parallel_for(planes, std::max<int64_t>(1, 16384 / std::max(in_hw, out_hw)),
                          [&](int64_t p0, int64_t p1, int) { f(in + p0 * in_hw, out + p0 * out_hw, p0, p1 - p0); });
    return;
  }
  constexpr int64_t G = kernels::kChannelBlock;
  const size_t threads = static_cast<size_t>(omp_get_max_threads());
  if (scratch.size() < threads) scratch.resize(threads);
  for (auto& s : scratch) s.resize(G * (in_hw + out_hw));
  kernels::parallel_for(planes / G, 1, [&](int64_t g0, int64_t g1, int t) {
    float* in_tmp = scratch[t].data();
    float* out_tmp = in_tmp + G * in_hw;
    for (int64_t g = g0; g < g1; ++g) {
      const float* src = in + g * G * in_hw;
      float* dst = out + g * G * out_hw;
      if (in_blocked) kernels::unblock_group(src, in_hw, in_tmp);
      f(in_blocked ? in_tmp : src, out_blocked ? out_tmp : dst, g * G, G);
      if (out_blocked) kernels::block_group(out_tmp, out_hw, dst);
    }
  });
}

}  // namespace aekit::nn
