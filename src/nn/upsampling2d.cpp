#include "nn/upsampling2d.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kernels/bf16_array.h"
#include "kernels/blocked.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"
#include "nn/activation.h"
#include "tensor/error.h"

namespace aekit::nn {
namespace {

using namespace kernels::simd;
constexpr int kHalf = kLanes / 2;

// (v[0], v[0], v[1], v[1], ...): the first half of v, each lane twice.
template <int... I>
vf twice(vf v, std::integer_sequence<int, I...>) {
  return __builtin_shufflevector(v, v, (I / 2)...);
}
// (v[0] + v[1], v[2] + v[3], ...) in the first half (the second half repeats it).
template <int... I>
vf pair_sums(vf v, std::integer_sequence<int, I...>) {
  return __builtin_shufflevector(v, v, ((2 * I) % kLanes)...) + __builtin_shufflevector(v, v, ((2 * I + 1) % kLanes)...);
}
constexpr auto kLaneIndex = std::make_integer_sequence<int, kLanes>();

// Rows requested ahead of the masked loads and stores below (they train no prefetcher).
constexpr int64_t kAhead = 8;  // rows

// 2x2 nearest upsampling of one row of W values into two rows of 2W: vectors of doubled
// values, each stored into both output rows (masked at the row's end).
void upsample_row_2x2(const float* x, int64_t W, float* y0, float* y1) {
  for (int64_t j = 0; j < W; j += kHalf) {
    const int n = static_cast<int>(std::min<int64_t>(kHalf, W - j));
    const vf d = twice(load(x + j, lanes(0, n)), kLaneIndex);
    store(y0 + 2 * j, d, lanes(0, 2 * n));
    store(y1 + 2 * j, d, lanes(0, 2 * n));
  }
}

// Its gradient: dx[j] = (d0[2j] + d0[2j+1]) + (d1[2j] + d1[2j+1]).
void upsample_row_2x2_grad(const float* d0, const float* d1, int64_t W, float* dx) {
  for (int64_t j = 0; j < W; j += kHalf) {
    const int n = static_cast<int>(std::min<int64_t>(kHalf, W - j));
    const mask m = lanes(0, 2 * n);
    store(dx + j, pair_sums(load(d0 + 2 * j, m), kLaneIndex) + pair_sums(load(d1 + 2 * j, m), kLaneIndex), lanes(0, n));
  }
}

// Both sides channel-blocked: whole 16-channel pixels are copied (forward) or summed (gradient,
// in the plain code's order).
void upsample_blocked_group(const float* x, int64_t H, int64_t W, int64_t sh, int64_t sw, float* y) {
  constexpr int64_t G = kernels::kChannelBlock;
  const int64_t OW = W * sw;
  for (int64_t i = 0; i < H; ++i)
    for (int64_t j = 0; j < W; ++j)
      for (int64_t a = 0; a < sh; ++a)
        for (int64_t b = 0; b < sw; ++b) std::memcpy(y + ((i * sh + a) * OW + j * sw + b) * G, x + (i * W + j) * G, G * sizeof(float));
}

void upsample_blocked_group_grad(const float* dy, int64_t H, int64_t W, int64_t sh, int64_t sw, float* dx) {
  constexpr int64_t G = kernels::kChannelBlock;
  const int64_t OW = W * sw;
  for (int64_t i = 0; i < H; ++i)
    for (int64_t j = 0; j < W; ++j)
      for (int64_t l = 0; l < G; l += kLanes) {
        const auto at = [&](int64_t a, int64_t b) { return load(dy + ((i * sh + a) * OW + j * sw + b) * G + l); };
        vf s;
        if (sh == 2 && sw == 2) {
          s = (at(0, 0) + at(0, 1)) + (at(1, 0) + at(1, 1));
        } else {
          s = splat(0);
          for (int64_t a = 0; a < sh; ++a)
            for (int64_t b = 0; b < sw; ++b) s += at(a, b);
        }
        store(dx + (i * W + j) * G + l, s);
      }
}

}  // namespace

UpSampling2D::UpSampling2D(HW size) : size_(size) {
  require(size.h > 0 && size.w > 0, "upsampling2d: size must be positive");
}

const config::Schema<UpSampling2D::Options>& UpSampling2D::schema() {
  static const auto s = config::Schema<Options>("upsampling2d").key("size", &Options::size, config::between(1, 64));
  return s;
}

Shape UpSampling2D::build(const Shape& in) {
  in_shape_ = require_chw("upsampling2d", in);
  out_shape_ = {in[0], in[1] * size_.h, in[2] * size_.w};
  return out_shape_;
}

const Tensor& UpSampling2D::forward(const Tensor& x, Mode) {
  require(x.rank() >= 1 && x.sample_size() == numel(in_shape_),
          "upsampling2d: input has " + std::to_string(x.sample_size()) +
              " values per sample, layer was built for " + aekit::to_string(in_shape_));
  const int64_t batch = x.dim(0), H = in_shape_[1], W = in_shape_[2], sh = size_.h, sw = size_.w;
  const int64_t OW = W * sw, planes = batch * in_shape_[0];
  x_shape_ = x.shape();
  x_ = &x;
  y_.resize({batch, in_shape_[0], H * sh, OW});
  choose_types();
  const PlaneSide in{x.data(), H * W, blocked_in_, x16_}, out{y_.data(), H * sh * OW, blocked_out_, y16_};
  if (blocked_in_ && blocked_out_) {
    for_groups(planes, in, out, scratch_, [&](const float* xg, float* yg, int64_t) {
      upsample_blocked_group(xg, H, W, sh, sw, yg);
    });
    return y_;
  }
  for_planes(planes, in, out, scratch_,
             [&](const float* xs, float* ys, int64_t, int64_t n) {
    const int64_t rows = n * H;  // input rows of these planes
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = xs + r * W;
      float* yr = ys + r * sh * OW;  // input row r becomes output rows r*sh .. r*sh+sh-1
      if (sh == 2 && sw == 2) {  // the common case, vectorised
        if (r + kAhead < rows) prefetch(xr + kAhead * W, W), prefetch_for_write(yr + kAhead * 2 * OW, 2 * OW);
        upsample_row_2x2(xr, W, yr, yr + OW);
        continue;
      }
      if (sw == 2) {
        for (int64_t j = 0; j < W; ++j) yr[2 * j] = yr[2 * j + 1] = xr[j];
      } else {
        for (int64_t j = 0; j < W; ++j)
          for (int64_t t = 0; t < sw; ++t) yr[j * sw + t] = xr[j];
      }
      for (int64_t i = 1; i < sh; ++i) std::copy(yr, yr + OW, yr + i * OW);
    }
  });
  return y_;
}

// The previous layer's relu / leaky_relu derivative, when handed over (layer.h): every output
// copies one input value, so that value's sign decides, on the input side (the small tensor).
const Tensor& UpSampling2D::finish_dx() {
  if (!relu_grad_) return dx_;
  if (x16_)
    kernels::leaky_grad_bf16_inplace(reinterpret_cast<const uint16_t*>(x_->data()), reinterpret_cast<uint16_t*>(dx_.data()),
                                     relu_slope_in_, dx_.size());
  else
    act_backward(Act::leaky_relu, relu_slope_in_, x_->data(), dx_.data(), dx_.data(), dx_.size());
  return dx_;
}

const Tensor& UpSampling2D::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  const int64_t H = in_shape_[1], W = in_shape_[2], sh = size_.h, sw = size_.w, OW = W * sw;
  const int64_t planes = numel(x_shape_) / (H * W);
  dx_.resize(x_shape_);
  const PlaneSide in{dy.data(), H * sh * OW, blocked_out_, y16_}, out{dx_.data(), H * W, blocked_in_, x16_};
  if (blocked_in_ && blocked_out_) {
    for_groups(planes, in, out, scratch_, [&](const float* dyg, float* dxg, int64_t) {
      upsample_blocked_group_grad(dyg, H, W, sh, sw, dxg);
    });
    return finish_dx();
  }
  for_planes(planes, in, out, scratch_,
             [&](const float* dys, float* dxs, int64_t, int64_t n) {
    const int64_t rows = n * H;
    for (int64_t r = 0; r < rows; ++r) {
      float* dxr = dxs + r * W;
      const float* dyr = dys + r * sh * OW;
      if (sh == 2 && sw == 2) {
        if (r + kAhead < rows) prefetch(dyr + kAhead * 2 * OW, 2 * OW), prefetch_for_write(dxr + kAhead * W, W);
        upsample_row_2x2_grad(dyr, dyr + OW, W, dxr);
      } else {
        for (int64_t j = 0; j < W; ++j) {
          float s = 0;
          for (int64_t i = 0; i < sh; ++i)
            for (int64_t t = 0; t < sw; ++t) s += dyr[i * OW + j * sw + t];
          dxr[j] = s;
        }
      }
    }
  });
  return finish_dx();
}

}  // namespace aekit::nn
