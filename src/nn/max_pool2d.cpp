#include "nn/max_pool2d.h"

#include <algorithm>
#include <cstring>
#include <limits>

#ifdef __AVX2__
#include <immintrin.h>
#endif

#include "kernels/bf16_array.h"
#include "kernels/blocked.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"
#include "nn/activation.h"
#include "tensor/error.h"

namespace aekit::nn {

MaxPool2D::MaxPool2D(HW pool, std::optional<HW> stride, Padding padding)
    : pool_(pool), stride_(stride.value_or(pool)), padding_(padding) {
  require(padding.kind != Padding::Kind::amount, "max_pool2d: padding must be \"same\" or \"valid\"");
}

const config::Schema<MaxPool2D::Options>& MaxPool2D::schema() {
  static const auto s = config::Schema<Options>("max_pool2d")
                            .key("pool", &Options::pool, config::between(1, 1024))
                            .key("stride", &Options::stride, config::between(1, 1024))
                            .key("padding", &Options::padding)
                            .finally([](Options& o, const std::string& path) {
                              refuse_padding_amount(o.padding, config::join(path, "padding"));
                            });
  return s;
}

nlohmann::json MaxPool2D::config() const { return with_type(type(), schema().write({pool_, stride_, padding_})); }

Shape MaxPool2D::build(const Shape& in) {
  in_shape_ = require_chw("max_pool2d", in);
  require(padding_.kind == Padding::Kind::same || (in[1] >= pool_.h && in[2] >= pool_.w),
          "max_pool2d: pool " + std::to_string(pool_.h) + "x" + std::to_string(pool_.w) + " larger than input " +
              std::to_string(in[1]) + "x" + std::to_string(in[2]) + " with padding valid");
  wh_ = window(in[1], pool_.h, stride_.h, padding_);
  ww_ = window(in[2], pool_.w, stride_.w, padding_);
  out_shape_ = {in[0], wh_.out, ww_.out};
  // 2x2 windows with stride 2 (every autoencoder here) start at even rows/columns: no clipping
  // on top or left, at most one missing row/column at the bottom or right.
  two_by_two_ = pool_ == HW{2, 2} && stride_ == HW{2, 2} && wh_.before == 0 && ww_.before == 0;
  return out_shape_;
}

namespace {

// One plane, 2x2 windows at stride 2; a last row/column without partner (odd size) compares
// with itself, which never changes the winner.
void pool_2x2(const float* x, int64_t H, int64_t W, float* y, int32_t* arg, int64_t OH, int64_t OW) {
  for (int64_t oh = 0; oh < OH; ++oh) {
    const int32_t i0 = static_cast<int32_t>(2 * oh * W), i1 = 2 * oh + 1 < H ? i0 + static_cast<int32_t>(W) : i0;
    int64_t ow = 0;
#ifdef __AVX2__
    // Four windows at a time with compares and blends: the winner is data-dependent, and the
    // scalar chain below mispredicts its branches (3.3% of W4 on one thread). Same order and
    // strict ">" as the scalar chain, so the same winner (NaN never wins either way).
    const __m128i step = _mm_setr_epi32(0, 2, 4, 6), one = _mm_set1_epi32(1);
    for (; 2 * ow + 8 <= W; ow += 4) {
      const float *p0 = x + i0 + 2 * ow, *p1 = x + i1 + 2 * ow;
      const __m128 a0 = _mm_loadu_ps(p0), a1 = _mm_loadu_ps(p0 + 4);
      const __m128 c0 = _mm_loadu_ps(p1), c1 = _mm_loadu_ps(p1 + 4);
      const __m128 A = _mm_shuffle_ps(a0, a1, 0x88), B = _mm_shuffle_ps(a0, a1, 0xDD);  // even / odd columns
      const __m128 C = _mm_shuffle_ps(c0, c1, 0x88), D = _mm_shuffle_ps(c0, c1, 0xDD);
      const __m128i ia = _mm_add_epi32(_mm_set1_epi32(i0 + static_cast<int32_t>(2 * ow)), step);
      const __m128i ic = _mm_add_epi32(_mm_set1_epi32(i1 + static_cast<int32_t>(2 * ow)), step);
      __m128 m = A, k = _mm_castsi128_ps(ia), t;
      t = _mm_cmp_ps(B, m, _CMP_GT_OQ);
      m = _mm_blendv_ps(m, B, t), k = _mm_blendv_ps(k, _mm_castsi128_ps(_mm_add_epi32(ia, one)), t);
      t = _mm_cmp_ps(C, m, _CMP_GT_OQ);
      m = _mm_blendv_ps(m, C, t), k = _mm_blendv_ps(k, _mm_castsi128_ps(ic), t);
      t = _mm_cmp_ps(D, m, _CMP_GT_OQ);
      m = _mm_blendv_ps(m, D, t), k = _mm_blendv_ps(k, _mm_castsi128_ps(_mm_add_epi32(ic, one)), t);
      _mm_storeu_ps(y + oh * OW + ow, m);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(arg + oh * OW + ow), _mm_castps_si128(k));
    }
#endif
    for (; ow < OW; ++ow) {
      const int32_t j0 = static_cast<int32_t>(2 * ow), j1 = 2 * ow + 1 < W ? j0 + 1 : j0;
      int32_t a = i0 + j0;
      float m = x[a];
      if (x[i0 + j1] > m) m = x[a = i0 + j1];
      if (x[i1 + j0] > m) m = x[a = i1 + j0];
      if (x[i1 + j1] > m) m = x[a = i1 + j1];
      y[oh * OW + ow] = m;
      arg[oh * OW + ow] = a;
    }
  }
}

// Both sides channel-blocked ([hw][16] per group of 16 channels): every window is scanned with
// 16-channel vectors, in the same row-major order and strict ">" as the plain code (same
// winners). arg holds, per output and channel lane, the winner's index within its plane.
void pool_blocked_group(const float* x, int64_t H, int64_t W, float* y, int32_t* arg, int64_t OH, int64_t OW,
                        HW pool, HW stride, int64_t top, int64_t left) {
  using namespace kernels::simd;
  constexpr int64_t G = kernels::kChannelBlock;
  for (int64_t oh = 0; oh < OH; ++oh) {
    const int64_t h0 = std::max<int64_t>(oh * stride.h - top, 0), h1 = std::min(oh * stride.h - top + pool.h, H);
    for (int64_t ow = 0; ow < OW; ++ow) {
      const int64_t w0 = std::max<int64_t>(ow * stride.w - left, 0), w1 = std::min(ow * stride.w - left + pool.w, W);
      for (int64_t l = 0; l < G; l += kLanes) {
        vf best = load(x + (h0 * W + w0) * G + l);
        vi k = vi{} + static_cast<int32_t>(h0 * W + w0);
        for (int64_t i = h0; i < h1; ++i)
          for (int64_t j = w0; j < w1; ++j) {
            const vf v = load(x + (i * W + j) * G + l);
            const vi t = v > best;
            best = t ? v : best, k = t ? static_cast<int32_t>(i * W + j) : k;
          }
        store(y + (oh * OW + ow) * G + l, best);
        std::memcpy(arg + (oh * OW + ow) * G + l, &k, sizeof k);
      }
    }
  }
}

// The same for 2x2 windows at stride 2 (two_by_two_), the scan unrolled: W4's first pooling
// (128 x 32 x 28 x 28, after the direct convolution joined it in the blocked layout) took 4.9 % of a
// bf16 epoch in the loops above, its gradient 3.6 % plus a memset. A window's missing second
// row / column (odd size) is its first again, which never wins (strict ">").
void pool_2x2_blocked_group(const float* x, int64_t H, int64_t W, float* y, int32_t* arg, int64_t OH, int64_t OW) {
  using namespace kernels::simd;
  constexpr int64_t G = kernels::kChannelBlock;
  for (int64_t oh = 0; oh < OH; ++oh) {
    const int64_t i0 = 2 * oh, i1 = 2 * oh + 1 < H ? i0 + 1 : i0;
    for (int64_t ow = 0; ow < OW; ++ow) {
      const int64_t j0 = 2 * ow, j1 = 2 * ow + 1 < W ? j0 + 1 : j0;
      const int32_t cells[4] = {static_cast<int32_t>(i0 * W + j0), static_cast<int32_t>(i0 * W + j1),
                                static_cast<int32_t>(i1 * W + j0), static_cast<int32_t>(i1 * W + j1)};
      for (int64_t l = 0; l < G; l += kLanes) {
        vf best = load(x + cells[0] * G + l);
        vi k = vi{} + cells[0];
        for (int c = 1; c < 4; ++c) {
          const vf v = load(x + cells[c] * G + l);
          const vi t = v > best;
          best = t ? v : best, k = t ? cells[c] : k;
        }
        store(y + (oh * OW + ow) * G + l, best);
        std::memcpy(arg + (oh * OW + ow) * G + l, &k, sizeof k);
      }
    }
  }
}

// Its gradient in one pass: every input cell is written once, dy where it won, else 0; the rows
// / columns no window covers ('valid' on an odd size) are zeroed.
void unpool_2x2_blocked_group(const float* dy, const int32_t* arg, int64_t H, int64_t W, int64_t OH, int64_t OW,
                              float* dx) {
  using namespace kernels::simd;
  constexpr int64_t G = kernels::kChannelBlock;
  const vf zero = splat(0);
  for (int64_t oh = 0; oh < OH; ++oh)
    for (int64_t ow = 0; ow < OW; ++ow)
      for (int64_t l = 0; l < G; l += kLanes) {
        const vf g = load(dy + (oh * OW + ow) * G + l);
        vi k;
        std::memcpy(&k, arg + (oh * OW + ow) * G + l, sizeof k);
        for (int64_t i = 2 * oh; i < std::min(2 * oh + 2, H); ++i)
          for (int64_t j = 2 * ow; j < std::min(2 * ow + 2, W); ++j)
            store(dx + (i * W + j) * G + l, k == static_cast<int32_t>(i * W + j) ? g : zero);
      }
  for (int64_t i = 0; i < H; ++i)
    for (int64_t j = i < 2 * OH ? 2 * OW : 0; j < W; ++j) std::memset(dx + (i * W + j) * G, 0, G * sizeof(float));
}

// Its gradient: dx (zeroed here) gets each output's dy at the winner's cell, lane by lane.
void unpool_blocked_group(const float* dy, const int32_t* arg, int64_t HW_in, int64_t OHW, float* dx) {
  using namespace kernels::simd;
  constexpr int64_t G = kernels::kChannelBlock;
  std::memset(dx, 0, HW_in * G * sizeof(float));
  for (int64_t o = 0; o < OHW; ++o)
    for (int64_t l = 0; l < G; l += kLanes) {
      vi k;
      std::memcpy(&k, arg + o * G + l, sizeof k);
      const vf g = load(dy + o * G + l);
      // a window has a few cells; each lane adds its dy to the one cell it names
      for (int64_t lane = 0; lane < kLanes; ++lane) dx[k[lane] * G + l + lane] += g[lane];
    }
}

// The gradient of pool_2x2 for one plane in a single pass: every input cell is written once,
// dy where it won its window, else 0 (no zero-fill followed by a scatter). kLanes windows at a
// time: four selects, then the even / odd columns interleaved back into the two input rows.
// The n (<= kLanes) winner indices at p as a vector, lanes past n zero. A masked load like dy's:
// a row's last block may end at the very end of argmax_, so a full-width load would read past
// it (the lanes past n meet g = 0 below, so their value never matters).
inline kernels::simd::vi load_indices(const int32_t* p, int n) {
  using namespace kernels::simd;
#if defined(__AVX512F__) || defined(__AVX2__)
  return reinterpret_cast<vi>(load(reinterpret_cast<const float*>(p), lanes(0, n)));  // bits, not floats
#else
  vi k = {};
  std::memcpy(&k, p, static_cast<size_t>(n) * sizeof(int32_t));
  return k;
#endif
}

void unpool_2x2(const float* dy, const int32_t* arg, int64_t H, int64_t W, int64_t OH, int64_t OW, float* dx) {
  using namespace kernels::simd;
  const vf zero = splat(0);
  vi lane2;
  for (int i = 0; i < kLanes; ++i) lane2[i] = 2 * i;
  for (int64_t oh = 0; oh < OH; ++oh) {
    const int32_t i0 = static_cast<int32_t>(2 * oh * W), i1 = i0 + static_cast<int32_t>(W);
    const bool second_row = 2 * oh + 1 < H;
    // the next output row's two input rows, ahead of the masked stores (they train no prefetcher)
    if (oh + 1 < OH) prefetch_for_write(dx + i0 + 2 * W, std::min<int64_t>(2 * W, (H - 2 * oh - 2) * W));
    for (int64_t ow = 0; ow < OW; ow += kLanes) {
      const int n = static_cast<int>(std::min<int64_t>(kLanes, OW - ow));
      const int cols = static_cast<int>(std::min<int64_t>(2 * kLanes, W - 2 * ow));
      const vf g = load(dy + oh * OW + ow, lanes(0, n));
      const vi k = load_indices(arg + oh * OW + ow, n);
      const vi col = static_cast<int32_t>(2 * ow) + lane2;
      auto row = [&](int32_t base, float* out) {
        const vf even = k == base + col ? g : zero, odd = k == base + col + 1 ? g : zero;
        vf lo, hi;
        interleave(even, odd, lo, hi);
        store(out, lo, lanes(0, cols));
        store(out + kLanes, hi, lanes(0, cols - kLanes));
      };
      row(i0, dx + i0 + 2 * ow);
      if (second_row) row(i1, dx + i1 + 2 * ow);
    }
  }
  // 'valid' on an odd height drops the last input row: no window wrote it, so it is zeroed here
  // (dx's buffer holds the previous step's values; an ASan build's gradient check caught it).
  if (2 * OH < H) std::memset(dx + 2 * OH * W, 0, static_cast<size_t>((H - 2 * OH) * W) * sizeof(float));
}

}  // namespace

const Tensor& MaxPool2D::forward(const Tensor& x, Mode) {
  require(x.rank() >= 1 && x.sample_size() == numel(in_shape_),
          "max_pool2d: input has " + std::to_string(x.sample_size()) + " values per sample, layer was built for " +
              aekit::to_string(in_shape_));
  const int64_t batch = x.dim(0), planes = batch * in_shape_[0];
  const int64_t H = in_shape_[1], W = in_shape_[2], OH = wh_.out, OW = ww_.out;
  x_shape_ = x.shape();
  y_.resize({batch, in_shape_[0], OH, OW});
  argmax_.resize(planes * OH * OW);
  choose_types();
  const PlaneSide in{x.data(), H * W, blocked_in_, x16_}, out{y_.data(), OH * OW, blocked_out_, y16_};
  if (blocked_in_ && blocked_out_) {
    constexpr int64_t G = kernels::kChannelBlock;
    for_groups(planes, in, out, scratch_, [&](const float* xg, float* yg, int64_t g) {
      int32_t* arg = argmax_.data() + g * G * OH * OW;
      if (two_by_two_)
        pool_2x2_blocked_group(xg, H, W, yg, arg, OH, OW);
      else
        pool_blocked_group(xg, H, W, yg, arg, OH, OW, pool_, stride_, wh_.before, ww_.before);
    });
    return y_;
  }
  for_planes(planes, in, out, scratch_,
             [&](const float* xs, float* ys, int64_t p0, int64_t n) {
    for (int64_t k = 0; k < n; ++k) {
      const float* xp = xs + k * H * W;
      float* yp = ys + k * OH * OW;
      int32_t* ap = argmax_.data() + (p0 + k) * OH * OW;
      if (two_by_two_) {
        pool_2x2(xp, H, W, yp, ap, OH, OW);
        continue;
      }
      for (int64_t oh = 0; oh < OH; ++oh) {
        // Only cells inside the input are scanned: padding never wins.
        const int64_t h0 = std::max<int64_t>(oh * stride_.h - wh_.before, 0);
        const int64_t h1 = std::min(oh * stride_.h - wh_.before + pool_.h, H);
        for (int64_t ow = 0; ow < OW; ++ow) {
          const int64_t w0 = std::max<int64_t>(ow * stride_.w - ww_.before, 0);
          const int64_t w1 = std::min(ow * stride_.w - ww_.before + pool_.w, W);
          int64_t arg = h0 * W + w0;
          float best = xp[arg];
          for (int64_t i = h0; i < h1; ++i)
            for (int64_t j = w0; j < w1; ++j)
              if (xp[i * W + j] > best) best = xp[arg = i * W + j];
          yp[oh * OW + ow] = best;
          ap[oh * OW + ow] = static_cast<int32_t>(arg);
        }
      }
    }
  });
  return y_;
}

// fp32 whichever type dy and y are in.
const Tensor& MaxPool2D::masked_dy(const Tensor& dy) {
  dym_.resize(dy.shape());
  if (y16_)
    kernels::leaky_grad_bf16(reinterpret_cast<const uint16_t*>(y_.data()), reinterpret_cast<const uint16_t*>(dy.data()),
                             relu_slope_in_, dym_.data(), dy.size());
  else
    act_backward(Act::leaky_relu, relu_slope_in_, y_.data(), dy.data(), dym_.data(), dy.size());
  return dym_;
}

const Tensor& MaxPool2D::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  const int64_t HW_in = in_shape_[1] * in_shape_[2], HW_out = wh_.out * ww_.out;
  const int64_t planes = dy.size() / HW_out;
  dx_.resize(x_shape_);
  // The previous layer's relu / leaky_relu derivative, when handed over (layer.h): a winner's
  // value is the pooled output, so its sign decides, on the pooled (small) tensor.
  const Tensor& grad = relu_grad_ ? masked_dy(dy) : dy;
  const PlaneSide in{grad.data(), HW_out, blocked_out_, y16_ && !relu_grad_}, out{dx_.data(), HW_in, blocked_in_, x16_};
  if (blocked_in_ && blocked_out_) {
    constexpr int64_t G = kernels::kChannelBlock;
    for_groups(planes, in, out, scratch_, [&](const float* dyg, float* dxg, int64_t g) {
      const int32_t* arg = argmax_.data() + g * G * HW_out;
      if (two_by_two_)
        unpool_2x2_blocked_group(dyg, arg, in_shape_[1], in_shape_[2], wh_.out, ww_.out, dxg);
      else
        unpool_blocked_group(dyg, arg, HW_in, HW_out, dxg);
    });
    return dx_;
  }
  for_planes(planes, in, out, scratch_,
             [&](const float* dys, float* dxs, int64_t p0, int64_t n) {
    for (int64_t k = 0; k < n; ++k) {
      float* dxp = dxs + k * HW_in;
      const float* dyp = dys + k * HW_out;
      const int32_t* ap = argmax_.data() + (p0 + k) * HW_out;
      if (two_by_two_) {
        unpool_2x2(dyp, ap, in_shape_[1], in_shape_[2], wh_.out, ww_.out, dxp);
        continue;
      }
      std::memset(dxp, 0, HW_in * sizeof(float));
      for (int64_t i = 0; i < HW_out; ++i) dxp[ap[i]] += dyp[i];
    }
  });
  return dx_;
}

}  // namespace aekit::nn
