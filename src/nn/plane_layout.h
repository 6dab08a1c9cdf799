// For layers that work plane by plane (max-pooling, upsampling) and may meet their neighbours
// in the channel-blocked layout (kernels/blocked.h, fusable.h's set_blocked): their shared state
// and the loops that run their code over a batch whichever layout each side is in.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/blocked.h"
#include "kernels/parallel.h"
#include "nn/layer.h"

namespace aekit::nn {

// A plane-wise layer: either side may be channel-blocked (channels in 16s), and it can apply
// the previous layer's relu / leaky_relu derivative (fusable.h's hand-over) on its own side.
class PlaneLayer : public Layer, public Fusable {
 public:
  Fusable* as_fusable() override { return this; }
  bool takes_blocked() const override { return !in_shape_.empty() && in_shape_[0] % kernels::kChannelBlock == 0; }
  bool gives_blocked() const override { return takes_blocked(); }
  void set_blocked(bool in, bool out) override { blocked_in_ = in, blocked_out_ = out; }
  bool can_apply_relu_grad() const override { return true; }
  void apply_relu_grad(bool on, float slope) override { relu_grad_ = on, relu_slope_in_ = slope; }

 protected:
  bool blocked_in_ = false, blocked_out_ = false;
  std::vector<std::vector<float>> scratch_;  // per thread, for for_planes
  bool relu_grad_ = false;                   // apply the previous layer's relu / leaky_relu derivative
  float relu_slope_in_ = 0.0f;
};

// f(g) for every 16-channel group g of `planes` planes (both sides blocked: group g's values
// start at g * 16 * hw on either side), split over threads.
template <class F>
void for_groups(int64_t planes, F&& f) {
  kernels::parallel_for(planes / kernels::kChannelBlock, 1, [&](int64_t g0, int64_t g1, int) {
    for (int64_t g = g0; g < g1; ++g) f(g);
  });
}

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
