// For layers that work plane by plane (max-pooling, upsampling) and may meet their neighbours
// in the channel-blocked layout (kernels/blocked.h, fusable.h's set_blocked), in bf16 as well
// under a bf16 compute precision (set_bf16): their shared state and the loops that run their
// fp32 code over a batch whichever layout and type each side is in.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/bf16_array.h"
#include "kernels/blocked.h"
#include "kernels/parallel.h"
#include "kernels/precision.h"
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
  bool takes_bf16() const override { return takes_blocked(); }
  bool gives_bf16() const override { return takes_blocked(); }
  void set_bf16(bool in, bool out) override { bf16_in_ = in, bf16_out_ = out; }
  bool bf16_passes_through() const override { return true; }
  bool can_apply_relu_grad() const override { return true; }
  void apply_relu_grad(bool on, float slope) override { relu_grad_ = on, relu_slope_in_ = slope; }

 protected:
  // Called by forward: whether this pass's x (and dx) / y (and dy) are bf16, from the negotiated
  // boundaries and the calling thread's compute precision; backward keeps forward's choice.
  void choose_types() {
    const bool bf16 = kernels::compute_precision() == kernels::Precision::bf16;
    x16_ = bf16_in_ && bf16, y16_ = bf16_out_ && bf16;
  }
  bool blocked_in_ = false, blocked_out_ = false;
  bool bf16_in_ = false, bf16_out_ = false;  // negotiated (set_bf16): bf16 under a bf16 precision
  bool x16_ = false, y16_ = false;           // this pass (choose_types)
  std::vector<std::vector<float>> scratch_;  // per thread, for for_planes / for_groups
  bool relu_grad_ = false;                   // apply the previous layer's relu / leaky_relu derivative
  float relu_slope_in_ = 0.0f;
};

// One side of a plane-wise layer: a [B, C, H, W] tensor of `hw` values a plane, plain or
// channel-blocked, fp32 or (blocked only) bf16 stored in the Tensor's float buffer.
struct PlaneSide {
  const void* p;
  int64_t hw;
  bool blocked, bf16;
  const float* f32(int64_t plane0) const { return static_cast<const float*>(p) + plane0 * hw; }
  const uint16_t* h16(int64_t plane0) const { return static_cast<const uint16_t*>(p) + plane0 * hw; }
};

// f(in, out, g) for every 16-channel group g of `planes` planes, both sides blocked, split over
// threads: in and out point at group g's [hw][16] values in fp32. A bf16 side is converted in
// per-thread scratch around f (in cache), an fp32 side is used in place.
template <class F>
void for_groups(int64_t planes, const PlaneSide& in, const PlaneSide& out, std::vector<std::vector<float>>& scratch,
                F&& f) {
  constexpr int64_t G = kernels::kChannelBlock;
  const size_t threads = static_cast<size_t>(omp_get_max_threads());
  if (in.bf16 || out.bf16) {
    if (scratch.size() < threads) scratch.resize(threads);
    for (auto& s : scratch) s.resize(G * (in.hw + out.hw));
  }
  kernels::parallel_for(planes / G, 1, [&](int64_t g0, int64_t g1, int t) {
    for (int64_t g = g0; g < g1; ++g) {
      float* in_tmp = in.bf16 || out.bf16 ? scratch[t].data() : nullptr;
      float* out_tmp = in_tmp ? in_tmp + G * in.hw : nullptr;
      if (in.bf16) kernels::from_bf16(in.h16(g * G), G * in.hw, in_tmp);
      float* dst = const_cast<float*>(out.f32(g * G));
      f(in.bf16 ? in_tmp : in.f32(g * G), out.bf16 ? out_tmp : dst, g);
      if (out.bf16) kernels::to_bf16(out_tmp, G * out.hw, const_cast<uint16_t*>(out.h16(g * G)));
    }
  });
}

// f(in, out, plane0, n) maps the n consecutive planes plane0 .. plane0 + n - 1 (plane = sample
// * C + channel) from `in` to `out`, both plain fp32. With both sides plain fp32 it runs on the
// tensors themselves; otherwise per group of 16 channels of a sample, a blocked (and maybe bf16)
// side is converted in per-thread scratch (in cache) around f. `scratch` holds those buffers
// between calls.
template <class F>
void for_planes(int64_t planes, const PlaneSide& in, const PlaneSide& out, std::vector<std::vector<float>>& scratch,
                F&& f) {
  if (!in.blocked && !out.blocked) {
    float* o = const_cast<float*>(out.f32(0));
    kernels::parallel_for(planes, std::max<int64_t>(1, 16384 / std::max(in.hw, out.hw)),
                          [&](int64_t p0, int64_t p1, int) { f(in.f32(p0), o + p0 * out.hw, p0, p1 - p0); });
    return;
  }
  constexpr int64_t G = kernels::kChannelBlock;
  const size_t threads = static_cast<size_t>(omp_get_max_threads());
  if (scratch.size() < threads) scratch.resize(threads);
  const int64_t wide = std::max(in.hw, out.hw);  // a bf16 group as fp32, before (un)blocking
  for (auto& s : scratch) s.resize(G * (in.hw + out.hw + wide));
  kernels::parallel_for(planes / G, 1, [&](int64_t g0, int64_t g1, int t) {
    float* in_tmp = scratch[t].data();
    float* out_tmp = in_tmp + G * in.hw;
    float* wide_tmp = out_tmp + G * out.hw;
    for (int64_t g = g0; g < g1; ++g) {
      const float* src = in.f32(g * G);
      float* dst = const_cast<float*>(out.f32(g * G));
      if (in.bf16) kernels::from_bf16(in.h16(g * G), G * in.hw, wide_tmp), src = wide_tmp;
      if (in.blocked) kernels::unblock_group(src, in.hw, in_tmp);
      f(in.blocked ? in_tmp : src, out.blocked ? out_tmp : dst, g * G, G);
      if (out.blocked) {
        kernels::block_group(out_tmp, out.hw, out.bf16 ? wide_tmp : dst);
        if (out.bf16) kernels::to_bf16(wide_tmp, G * out.hw, const_cast<uint16_t*>(out.h16(g * G)));
      }
    }
  });
}

}  // namespace aekit::nn
