#include "kernels/conv_direct_blocked.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "kernels/blocked.h"
#include "kernels/conv_direct.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace aekit::kernels {
namespace {

using namespace simd;

constexpr int64_t kBlock = kChannelBlock;  // floats per pixel of one channel group
constexpr int kSub = kBlock / kLanes;      // vectors per pixel of one group: 1 with AVX-512, else 2
// Accumulators a tile keeps in registers: three quarters of the vector registers (32 with
// AVX-512, 16 without); the rest hold weights and loaded values.
constexpr int kTile = kLanes == 16 ? 24 : 12;
constexpr int kMaxGroup = 4;  // wide vectors per tile

// Where wide vector v (channels v * kLanes ...) of a blocked tensor with `cells` pixels a plane
// starts, relative to its first value; pixel p of it is kBlock * p further.
int64_t vector_offset(int64_t v, int64_t cells) { return (v / kSub) * cells * kBlock + (v % kSub) * kLanes; }

// spread: P pixels of one row x G wide vectors,
//   out[g][p] = act(bias[g] + sum_t w[t][g] * s[p + off[t]])
// s: the padded narrow side at the tile's first pixel (every read inside it); off: each tap's
// offset in it; w: weights [taps][w_row floats] at the tile's first vector; out: the tile's first
// pixel, out_off: where each of its vectors starts (vector_offset).
template <int P, int G>
void spread_tile(const float* s, const int64_t* off, int64_t taps, const float* w, int64_t w_row, const float* bias,
                 Fused act, float alpha, float* out, const int64_t* out_off) {
  vf acc[P][G];
#pragma GCC unroll 4
  for (int g = 0; g < G; ++g) {
    const vf b = bias ? load(bias + g * kLanes) : splat(0);
#pragma GCC unroll 24
    for (int p = 0; p < P; ++p) acc[p][g] = b;
  }
  for (int64_t t = 0; t < taps; ++t) {
    vf wv[G];
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) wv[g] = load(w + t * w_row + g * kLanes);
    const float* st = s + off[t];
#pragma GCC unroll 24
    for (int p = 0; p < P; ++p) {
      const vf sv = splat(st[p]);
#pragma GCC unroll 4
      for (int g = 0; g < G; ++g) acc[p][g] += wv[g] * sv;
    }
  }
#pragma GCC unroll 24
  for (int p = 0; p < P; ++p)
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) store(out + out_off[g] + p * kBlock, activate(acc[p][g], act, alpha));
}

// gather (weight gradient): T taps x G wide vectors, over rows [r0, r1) of a `cols`-wide grid,
//   dw[t][g] += sum over pixels q of v[g][q] * s[q's padded position + off[t]]
// v: the wide side at the first vector, vector g at v_off[g]; s: the padded narrow side at
// pixel (0, 0), s_row floats a row; dw: vector sums [taps][dw_row] at (first tap, first vector).
template <int T, int G>
void gather_tile(const float* v, const int64_t* v_off, int64_t r0, int64_t r1, int64_t cols, const float* s,
                 int64_t s_row, const int64_t* off, vf* dw, int64_t dw_row) {
  vf acc[T][G];
  for (auto& a : acc)
    for (vf& e : a) e = splat(0);
  for (int64_t i = r0; i < r1; ++i) {
    const float* vr = v + i * cols * kBlock;
    const float* sr = s + i * s_row;
    for (int64_t j = 0; j < cols; ++j) {
      vf x[G];
#pragma GCC unroll 4
      for (int g = 0; g < G; ++g) x[g] = load(vr + v_off[g] + j * kBlock);
#pragma GCC unroll 24
      for (int t = 0; t < T; ++t) {
        const vf sv = splat(sr[j + off[t]]);
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) acc[t][g] += x[g] * sv;
      }
    }
  }
  for (int t = 0; t < T; ++t)
    for (int g = 0; g < G; ++g) dw[t * dw_row + g] += acc[t][g];
}

// The tile kernels by shape: spread [G - 1][P - 1], gather [G - 1][T - 1]; null where a tile
// would not fit in kTile accumulators.
using SpreadFn = void (*)(const float*, const int64_t*, int64_t, const float*, int64_t, const float*, Fused, float,
                          float*, const int64_t*);
using GatherFn = void (*)(const float*, const int64_t*, int64_t, int64_t, int64_t, const float*, int64_t,
                          const int64_t*, vf*, int64_t);
template <int P, int G>
constexpr SpreadFn spread_fn() {
  if constexpr (P * G <= kTile) return &spread_tile<P, G>;
  return nullptr;
}
template <int T, int G>
constexpr GatherFn gather_fn() {
  if constexpr (T * G <= kTile) return &gather_tile<T, G>;
  return nullptr;
}
template <int G, int... P>
constexpr std::array<SpreadFn, kTile> spread_row(std::integer_sequence<int, P...>) {
  return {spread_fn<P + 1, G>()...};
}
template <int G, int... T>
constexpr std::array<GatherFn, kTile> gather_row(std::integer_sequence<int, T...>) {
  return {gather_fn<T + 1, G>()...};
}
constexpr auto kUpToTile = std::make_integer_sequence<int, kTile>();
constexpr std::array<std::array<SpreadFn, kTile>, kMaxGroup> kSpread = {
    spread_row<1>(kUpToTile), spread_row<2>(kUpToTile), spread_row<3>(kUpToTile), spread_row<4>(kUpToTile)};
constexpr std::array<std::array<GatherFn, kTile>, kMaxGroup> kGather = {
    gather_row<1>(kUpToTile), gather_row<2>(kUpToTile), gather_row<3>(kUpToTile), gather_row<4>(kUpToTile)};

// n items in pieces of at most `most`, as even as they come: the piece size.
int64_t even_piece(int64_t n, int64_t most) {
  const int64_t pieces = (n + most - 1) / most;
  return (n + pieces - 1) / pieces;
}

// Narrow planes padded with zeros: `rows` x `cols` cells with the data at (top, left).
struct Padding {
  int64_t rows = 0, cols = 0, top = 0, left = 0;
  int64_t cells() const { return rows * cols; }
};

// The taps' offsets in padded narrow planes, t = (narrow channel, ky, kx). flip: the tap (ky, kx)
// reads (kh - 1 - ky, kw - 1 - kx) from the padded origin (the weight gradient of a wide input,
// whose narrow side is the output gradient).
std::vector<int64_t> tap_offsets(int64_t narrow, int64_t kh, int64_t kw, const Padding& pad, bool flip) {
  std::vector<int64_t> off;
  for (int64_t c = 0; c < narrow; ++c)
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx)
        off.push_back(c * pad.cells() + (flip ? kh - 1 - ky : ky) * pad.cols + (flip ? kw - 1 - kx : kx));
  return off;
}
// Where each of nv wide vectors starts in a blocked tensor of `cells` pixels a plane.
std::vector<int64_t> vector_offsets(int64_t nv, int64_t cells) {
  std::vector<int64_t> v(nv);
  for (int64_t k = 0; k < nv; ++k) v[k] = vector_offset(k, cells);
  return v;
}
// Copies `planes` planes of rows x cols into the padded planes (borders left as they are: zero).
void pad_planes(const float* src, int64_t planes, int64_t rows, int64_t cols, const Padding& pad, float* dst) {
  for (int64_t c = 0; c < planes; ++c)
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(dst + c * pad.cells() + (pad.top + r) * pad.cols + pad.left, src + (c * rows + r) * cols,
                  cols * sizeof(float));
}
// A blocked tensor of `channels` channels and `cells` pixels a plane into NCHW.
void unblock(const float* src, int64_t channels, int64_t cells, float* dst) {
  for (int64_t g = 0; g < channels; g += kBlock) unblock_group(src + g * cells, cells, dst + g * cells);
}

// spread over a whole output grid (rows x cols, wide vectors nv): s is the padded narrow side
// (row stride s_row), w [taps][nv * kLanes], out blocked.
void spread(const float* s, int64_t s_row, const std::vector<int64_t>& off, const float* w, int64_t nv,
            const float* bias, Fused act, float alpha, int64_t rows, int64_t cols, const std::vector<int64_t>& out_off,
            float* out) {
  const int64_t taps = static_cast<int64_t>(off.size());
  for (int64_t v0 = 0; v0 < nv; v0 += kMaxGroup) {
    const int64_t G = std::min<int64_t>(kMaxGroup, nv - v0);
    const int64_t P = even_piece(cols, kTile / G);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j0 = 0; j0 < cols; j0 += P) {
        const int64_t width = std::min(P, cols - j0);
        kSpread[G - 1][width - 1](s + i * s_row + j0, off.data(), taps, w + v0 * kLanes, nv * kLanes,
                                  bias ? bias + v0 * kLanes : nullptr, act, alpha, out + (i * cols + j0) * kBlock,
                                  out_off.data() + v0);
      }
  }
}

// gather over a whole grid (rows x cols) of the wide side v (vectors nv at v_off): dw [taps][nv].
void gather(const float* v, const std::vector<int64_t>& v_off, int64_t rows, int64_t cols, const float* s,
            int64_t s_row, const std::vector<int64_t>& off, vf* dw) {
  const int64_t taps = static_cast<int64_t>(off.size()), nv = static_cast<int64_t>(v_off.size());
  for (int64_t v0 = 0; v0 < nv; v0 += kMaxGroup) {
    const int64_t G = std::min<int64_t>(kMaxGroup, nv - v0);
    const int64_t T = even_piece(taps, kTile / G);
    // Several passes over the taps read the wide side again: a band of rows at a time stays in
    // L1 (16 KB of it) between the passes.
    const int64_t band = T < taps ? std::max<int64_t>(1, 16384 / (cols * G * kLanes * 4)) : rows;
    for (int64_t r0 = 0; r0 < rows; r0 += band)
      for (int64_t t0 = 0; t0 < taps; t0 += T)
        kGather[G - 1][std::min(T, taps - t0) - 1](v, v_off.data() + v0, r0, std::min(rows, r0 + band), cols, s, s_row,
                                                   off.data() + t0, dw + t0 * nv + v0, nv);
  }
}

class DirectBlockedPlan final : public Conv::Plan {
 public:
  // In terms of the (equivalent) convolution s_, as the plain direct plan: flip_ marks a
  // transposed one. wide_out_: y is the blocked side (else x).
  DirectBlockedPlan(const ConvSpec& spec, int64_t batch)
      : s_(as_convolution(spec)),
        flip_(spec.transposed),
        wide_out_(spec.blocked_y),
        batch_(batch),
        oh_(s_.out_h()),
        ow_(s_.out_w()),
        narrow_(wide_out_ ? s_.c : s_.f),
        wide_(wide_out_ ? s_.f : s_.c),
        nv_(wide_ / kLanes),
        squash_(s_.act, batch * s_.f * oh_ * ow_) {
    const ConvSpec& s = s_;
    // The forward's narrow input, padded by the convolution's padding over the output grid plus
    // the kernel; a narrow output gradient padded by kernel - 1 - padding over x's grid.
    in_pad_ = {oh_ + s.kh - 1, ow_ + s.kw - 1, s.pt, s.pl};
    g_pad_ = {s.h + s.kh - 1, s.w + s.kw - 1, s.kh - 1 - s.pt, s.kw - 1 - s.pl};
    wconv_.resize(s.c * s.f * s.kh * s.kw);
    if (wide_out_) {
      fwd_taps_ = tap_offsets(s.c, s.kh, s.kw, in_pad_, false);  // forward and weight gradient
      y_vectors_ = vector_offsets(nv_, oh_ * ow_);
      x_padded_.assign(batch * s.c * in_pad_.cells(), 0.0f);
      // the data gradient: g against the flipped, transposed kernel, padded by kernel - 1 - padding
      narrow_corr_.emplace(s.f, oh_, ow_, s.c, s.h, s.w, s.kh, s.kw, s.kh - 1 - s.pt, s.kw - 1 - s.pl);
    } else {
      narrow_corr_.emplace(s.c, s.h, s.w, s.f, oh_, ow_, s.kh, s.kw, s.pt, s.pl);  // the forward
      dw_taps_ = tap_offsets(s.f, s.kh, s.kw, g_pad_, true);
      dx_taps_ = tap_offsets(s.f, s.kh, s.kw, g_pad_, false);
      x_vectors_ = vector_offsets(nv_, s.h * s.w);
    }
  }

  void forward(const float* x, const float* w, const float* b, float* y) override {
    x_ = x;
    const float* wc = conv_weights(w);
    const int64_t taps = s_.kh * s_.kw, x_size = s_.c * s_.h * s_.w, y_size = s_.f * oh_ * ow_;
    if (wide_out_) {
      // w1[(c, ky, kx)][f] = w[f][c][ky][kx]
      wk_.resize(wconv_.size());
      for (int64_t f = 0; f < s_.f; ++f)
        for (int64_t t = 0; t < s_.c * taps; ++t) wk_[t * s_.f + f] = wc[f * s_.c * taps + t];
      parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int) {
        for (int64_t n = b0; n < b1; ++n) {
          float* xp = x_padded_.data() + n * s_.c * in_pad_.cells();
          pad_planes(x + n * x_size, s_.c, s_.h, s_.w, in_pad_, xp);
          spread(xp, in_pad_.cols, fwd_taps_, wk_.data(), nv_, b, s_.act, s_.alpha, oh_, ow_, y_vectors_,
                 y + n * y_size);
        }
      });
    } else {
      ensure_scratch();
      parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int t) {
        float* xp = scratch_[t].unblocked.data();
        for (int64_t n = b0; n < b1; ++n) {
          if (n + 1 < b1) prefetch(x + (n + 1) * x_size, x_size);  // unblocked next, from memory
          unblock(x + n * x_size, s_.c, s_.h * s_.w, xp);
          (*narrow_corr_)(xp, wc, b, s_.act, s_.alpha, y + n * y_size);
        }
      });
    }
    squash_(y);
  }

  void backward(const OutputGrad& og, const float* w, float* dw, float* db, float* dx) override {
    const float* wc = conv_weights(w);
    const int64_t taps = s_.kh * s_.kw, x_size = s_.c * s_.h * s_.w, y_size = s_.f * oh_ * ow_;
    if (dx) {
      if (wide_out_) {  // the plain kernel's data-gradient weights: w transposed and flipped
        wdx_.resize(wconv_.size());
        flip_transpose(wc, s_.f, s_.c, taps, wdx_.data());
      } else {
        spread_dx_weights(wc);
      }
    }
    ensure_scratch();
    for (Scratch& sc : scratch_) {
      std::fill(sc.dw.begin(), sc.dw.end(), splat(0));
      std::fill(sc.db.begin(), sc.db.end(), splat(0));
    }
    parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int t) {
      Scratch& sc = scratch_[t];
      for (int64_t n = b0; n < b1; ++n) {
        const float* g = output_grad(og, n * y_size, y_size, sc.g.data());
        if (wide_out_) {
          sum_blocked(g, sc.db.data());
          gather(g, y_vectors_, oh_, ow_, x_padded_.data() + n * s_.c * in_pad_.cells(), in_pad_.cols, fwd_taps_,
                 sc.dw.data());
          if (dx) {
            unblock(g, s_.f, oh_ * ow_, sc.unblocked.data());
            (*narrow_corr_)(sc.unblocked.data(), wdx_.data(), nullptr, Fused::none, 0.0f, dx + n * x_size);
          }
        } else {
          pad_planes(g, s_.f, oh_, ow_, g_pad_, sc.narrow_padded.data());
          sum_planes(g, sc.db.data());
          gather(x_ + n * x_size, x_vectors_, s_.h, s_.w, sc.narrow_padded.data(), g_pad_.cols, dw_taps_,
                 sc.dw.data());
          if (dx)
            spread(sc.narrow_padded.data(), g_pad_.cols, dx_taps_, wdx_.data(), nv_, nullptr, Fused::none, 0.0f, s_.h,
                   s_.w, x_vectors_, dx + n * x_size);
        }
      }
    });
    // The sums [(narrow channel, ky, kx)][wide channel], thread by thread, into the convolution's
    // [f][c][ky][kx].
    float* dwc = flip_ ? wconv_.data() : dw;
    for (int64_t t = 0; t < narrow_ * taps; ++t)
      for (int64_t v = 0; v < nv_; ++v) {
        vf total = splat(0);
        for (const Scratch& sc : scratch_) total += sc.dw[t * nv_ + v];
        for (int l = 0; l < kLanes; ++l) {
          const int64_t k = v * kLanes + l, nc = t / taps, tap = t % taps;
          dwc[wide_out_ ? (k * s_.c + nc) * taps + tap : (nc * s_.c + k) * taps + tap] = total[l];
        }
      }
    if (flip_) flip_transpose(dwc, s_.f, s_.c, taps, dw);
    if (db) {
      std::vector<vf> sum(wide_out_ ? nv_ : s_.f, splat(0));
      for (const Scratch& sc : scratch_)
        for (size_t k = 0; k < sum.size(); ++k) sum[k] += sc.db[k];
      for (size_t k = 0; k < sum.size(); ++k) {
        if (wide_out_)
          for (int l = 0; l < kLanes; ++l) db[k * kLanes + l] = sum[k][l];
        else
          db[k] = hsum(sum[k]);
      }
    }
  }

 private:
  struct Scratch {
    std::vector<float> g;              // one sample's g = dy * act'(y), when it has to be made
    std::vector<float> unblocked;      // the wide side in NCHW for the plain kernel: x (forward) or g (dx)
    std::vector<float> narrow_padded;  // a wide input's narrow output gradient, padded
    std::vector<vf> dw;                // weight-gradient sums [(narrow channel, ky, kx)][wide vector]
    std::vector<vf> db;                // bias-gradient sums: per wide vector, or per narrow channel
  };

  // The convolution's weights [f][c][kh][kw] (a transposed layer's flipped).
  const float* conv_weights(const float* w) {
    if (!flip_) return w;
    flip_transpose(w, s_.c, s_.f, s_.kh * s_.kw, wconv_.data());
    return wconv_.data();
  }

  // spread's weights for a wide input's data gradient: [(f, ky', kx')][c] = w[f][c][kh-1-ky'][kw-1-kx'].
  void spread_dx_weights(const float* wc) {
    const int64_t taps = s_.kh * s_.kw;
    wdx_.resize(wconv_.size());
    for (int64_t f = 0; f < s_.f; ++f)
      for (int64_t t = 0; t < taps; ++t)
        for (int64_t c = 0; c < s_.c; ++c) wdx_[(f * taps + t) * s_.c + c] = wc[(f * s_.c + c) * taps + taps - 1 - t];
  }

  // g for the values [begin, begin + n) of the output: dy itself, or made into `buf`.
  static const float* output_grad(const OutputGrad& og, int64_t begin, int64_t n, float* buf) {
    if (og.make) {
      og.make(begin, n, buf);
      return buf;
    }
    if (!og.y) return og.dy + begin;
    const float* dy = og.dy + begin;
    const float* y = og.y + begin;
    for (int64_t k = 0; k < n; k += kLanes) {  // n: a multiple of 16 (a blocked side) or a
      const mask m = lanes(0, static_cast<int>(std::min<int64_t>(kLanes, n - k)));  // plain plane set
      const vf d = load(dy + k, m);
      store(buf + k, load(y + k, m) > splat(0) ? d : d * og.slope, m);
    }
    return buf;
  }

  // db sums: a blocked g's vectors (wide output), or each narrow plane's values in a vector.
  void sum_blocked(const float* g, vf* db) const {
    for (int64_t v = 0; v < nv_; ++v) {
      const float* p = g + y_vectors_[v];
      vf a = splat(0), b = splat(0);
      int64_t q = 0;
      for (; q + 1 < oh_ * ow_; q += 2) a += load(p + q * kBlock), b += load(p + (q + 1) * kBlock);
      if (q < oh_ * ow_) a += load(p + q * kBlock);
      db[v] += a + b;
    }
  }
  void sum_planes(const float* g, vf* db) const {
    const int64_t cells = oh_ * ow_;
    for (int64_t o = 0; o < s_.f; ++o) {
      vf a = splat(0);
      for (int64_t q = 0; q < cells; q += kLanes)
        a += load(g + o * cells + q, lanes(0, static_cast<int>(std::min<int64_t>(kLanes, cells - q))));
      db[o] += a;
    }
  }

  // One set of buffers per thread, made before the threads start.
  void ensure_scratch() {
    const size_t nt = static_cast<size_t>(omp_get_max_threads());
    if (scratch_.size() >= nt) return;
    scratch_.resize(nt);
    for (Scratch& sc : scratch_) {
      if (!sc.dw.empty()) continue;
      sc.g.assign(s_.f * oh_ * ow_, 0.0f);
      sc.unblocked.assign(wide_ * (wide_out_ ? oh_ * ow_ : s_.h * s_.w), 0.0f);
      if (!wide_out_) sc.narrow_padded.assign(s_.f * g_pad_.cells(), 0.0f);
      sc.dw.assign(narrow_ * s_.kh * s_.kw * nv_, splat(0));
      sc.db.assign(wide_out_ ? nv_ : s_.f, splat(0));
    }
  }

  ConvSpec s_;
  bool flip_, wide_out_;
  int64_t batch_, oh_, ow_, narrow_, wide_, nv_;
  Padding in_pad_, g_pad_;
  std::vector<int64_t> fwd_taps_, dw_taps_, dx_taps_;  // spread / gather offsets in padded narrow planes
  std::optional<PlaneCorrelation> narrow_corr_;        // wide -> narrow: the forward or the data gradient
  std::vector<int64_t> x_vectors_, y_vectors_;         // where each wide vector starts in x / y
  std::vector<float> wconv_, wk_, wdx_;                // convolution weights; arranged for the kernels
  std::vector<float> x_padded_;                        // a wide output's narrow x, padded (the batch)
  std::vector<Scratch> scratch_;
  const float* x_ = nullptr;
  OutputSquash squash_;
};

}  // namespace

bool direct_blocked_suits(const ConvSpec& s) {
  return direct_suits(s) && ((s.blocked_x && s.c % kBlock == 0) || (s.blocked_y && s.f % kBlock == 0));
}

std::unique_ptr<Conv::Plan> make_direct_blocked_plan(const ConvSpec& s, int64_t batch) {
  return std::make_unique<DirectBlockedPlan>(s, batch);
}

}  // namespace aekit::kernels
