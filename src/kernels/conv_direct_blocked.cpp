#include "kernels/conv_direct_blocked.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "kernels/blocked.h"
#include "kernels/conv_direct.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"
#include "tensor/tensor.h"

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

// Lane p of the result = the sum of a[p]'s lanes, for kLanes vectors: pairs of vectors are
// folded into one (the halves of each added, one vector's in the low half and the other's in
// the high), then pairs of those with quarters, and so on: 2 * kLanes - 2 shuffles and
// kLanes - 1 additions for kLanes sums, instead of a shuffle tree per sum.
template <int C, int... I>
vf fold(vf x, vf y, std::integer_sequence<int, I...>) {
  const vf lo = __builtin_shufflevector(x, y, ((I / C) % 2 == 0 ? I : kLanes + I - C)...);
  const vf hi = __builtin_shufflevector(x, y, ((I / C) % 2 == 0 ? I + C : kLanes + I)...);
  return lo + hi;
}
template <int C>
void fold_level(vf* z, int n) {
  for (int k = 0; k < n / 2; ++k) z[k] = fold<C>(z[2 * k], z[2 * k + 1], std::make_integer_sequence<int, kLanes>());
  if constexpr (C > 1) fold_level<C / 2>(z, n / 2);
}
constexpr int bit_reversed(int k) {
  int r = 0;
  for (int b = 1; b < kLanes; b <<= 1, k >>= 1) r = (r << 1) | (k & 1);
  return r;
}
inline vf sum_each(const vf* a) {
  // Each level interleaves its pairs' sums, so the lanes come out in bit-reversed order unless
  // the vectors go in in it.
  vf z[kLanes];
#pragma GCC unroll 16
  for (int k = 0; k < kLanes; ++k) z[k] = a[bit_reversed(k)];
  fold_level<kLanes / 2>(z, kLanes);
  return z[0];
}

// reduce: a tile of kReduceRows x kReduceCols pixels of a narrow output plane,
//   out[r][p] = act(bias + sum over wide vectors v and taps of <w[v][ky][kx], v[r + ky][p + kx]>)
// (rows x cols of them stored). One vector sum per pixel over the channels in its lanes, added
// across at the end. For each (v, kx) the KH weights stay in registers and each loaded row vector
// serves every kernel row that maps it into the tile: (kReduceRows + KH - 1) x kReduceCols loads
// for kReduceRows x kReduceCols x KH multiply-adds (one load per multiply-add, without the rows'
// reuse, left W5's last layer at a third of the peak: most loads missed L1).
// v: the padded wide side at the tile's first pixel, `row` floats a row; off[it]: where each
// it = (v, kx) starts; w: [it][ky][kLanes]. Pixels outside rows x cols read what follows (the
// padded copy has slack) and are not stored.
constexpr int kReduceCols = 4;
constexpr int kReduceRows = kLanes / kReduceCols;
template <int KH>
void reduce_tile(const float* v, int64_t row, const int64_t* off, int64_t iters, const float* w, float bias, Fused act,
                 float alpha, float* out, int64_t out_row, int rows, int cols) {
  constexpr int kSpan = kReduceRows + KH - 1;
  vf acc[kReduceRows][kReduceCols];
  for (auto& r : acc)
    for (vf& a : r) a = splat(0);
  for (int64_t it = 0; it < iters; ++it) {
    vf wv[KH];
#pragma GCC unroll 8
    for (int ky = 0; ky < KH; ++ky) wv[ky] = load(w + (it * KH + ky) * kLanes);
    const float* vp = v + off[it];
#pragma GCC unroll 16
    for (int rr = 0; rr < kSpan; ++rr, vp += row)  // (one pointer stepped by rows: GCC spilled row bases otherwise)
#pragma GCC unroll 4
      for (int p = 0; p < kReduceCols; ++p) {
        const vf x = load(vp + p * kBlock);
#pragma GCC unroll 8
        for (int ky = 0; ky < KH; ++ky)
          if (rr - ky >= 0 && rr - ky < kReduceRows) acc[rr - ky][p] += wv[ky] * x;
      }
  }
  const vf sums = activate(sum_each(&acc[0][0]) + bias, act, alpha);  // lane r * kReduceCols + p
  for (int r = 0; r < rows; ++r)  // row r's lanes, shifted onto its columns
    store(out + r * out_row - r * kReduceCols, sums, lanes(r * kReduceCols, r * kReduceCols + cols));
}

// The tile kernels by shape: spread [G - 1][P - 1], gather [G - 1][T - 1], reduce [KH - 1]; null
// where a tile would not fit in kTile accumulators.
using SpreadFn = void (*)(const float*, const int64_t*, int64_t, const float*, int64_t, const float*, Fused, float,
                          float*, const int64_t*);
using GatherFn = void (*)(const float*, const int64_t*, int64_t, int64_t, int64_t, const float*, int64_t,
                          const int64_t*, vf*, int64_t);
using ReduceFn = void (*)(const float*, int64_t, const int64_t*, int64_t, const float*, float, Fused, float, float*,
                          int64_t, int, int);
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
template <int... K>
constexpr std::array<ReduceFn, sizeof...(K)> reduce_row(std::integer_sequence<int, K...>) {
  return {&reduce_tile<K + 1>...};
}
constexpr auto kUpToTile = std::make_integer_sequence<int, kTile>();
constexpr std::array<std::array<SpreadFn, kTile>, kMaxGroup> kSpread = {
    spread_row<1>(kUpToTile), spread_row<2>(kUpToTile), spread_row<3>(kUpToTile), spread_row<4>(kUpToTile)};
constexpr std::array<std::array<GatherFn, kTile>, kMaxGroup> kGather = {
    gather_row<1>(kUpToTile), gather_row<2>(kUpToTile), gather_row<3>(kUpToTile), gather_row<4>(kUpToTile)};
constexpr auto kReduce = reduce_row(std::make_integer_sequence<int, 7>());  // direct_suits: kernel height <= 7

// n items in pieces of at most `most`, as even as they come: the piece size.
int64_t even_piece(int64_t n, int64_t most) {
  const int64_t pieces = (n + most - 1) / most;
  return (n + pieces - 1) / pieces;
}

// A plane set padded with zeros: `rows` x `cols` cells with the data at (top, left), row() cells
// from one row to the next and plane() from one plane (or channel group) to the next. A wide
// side's copy (skew) has odd strides in cache lines: W5's 32 x 32 padded planes put rows 2 KB and
// groups 64 KB apart, so a reduce tile's rows shared a few L1 sets (one sample, one thread: 20.5
// -> 19.6 us a forward).
struct Padding {
  int64_t rows = 0, cols = 0, top = 0, left = 0;
  bool skew = false;
  int64_t row() const { return skew ? cols | 1 : cols; }
  int64_t plane() const { return skew ? (rows * row()) | 1 : rows * row(); }
};

// The taps' offsets in padded narrow planes, t = (narrow channel, ky, kx). flip: the tap (ky, kx)
// reads (kh - 1 - ky, kw - 1 - kx) from the padded origin (the weight gradient of a wide input,
// whose narrow side is the output gradient).
std::vector<int64_t> tap_offsets(int64_t narrow, int64_t kh, int64_t kw, const Padding& pad, bool flip) {
  std::vector<int64_t> off;
  for (int64_t c = 0; c < narrow; ++c)
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx)
        off.push_back(c * pad.plane() + (flip ? kh - 1 - ky : ky) * pad.row() + (flip ? kw - 1 - kx : kx));
  return off;
}
// Where each of nv wide vectors starts in a blocked tensor of `cells` pixels a plane.
std::vector<int64_t> vector_offsets(int64_t nv, int64_t cells) {
  std::vector<int64_t> v(nv);
  for (int64_t k = 0; k < nv; ++k) v[k] = vector_offset(k, cells);
  return v;
}
// The reduce kernel's iterations it = (wide vector, kx): their offsets in a padded blocked copy.
std::vector<int64_t> reduce_offsets(int64_t nv, int64_t kw, const Padding& pad) {
  std::vector<int64_t> off;
  for (int64_t v = 0; v < nv; ++v)
    for (int64_t kx = 0; kx < kw; ++kx) off.push_back(vector_offset(v, pad.plane()) + kx * kBlock);
  return off;
}

// Copies `planes` planes of rows x cols into the padded planes (borders left as they are: zero).
void pad_planes(const float* src, int64_t planes, int64_t rows, int64_t cols, const Padding& pad, float* dst) {
  for (int64_t c = 0; c < planes; ++c)
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(dst + c * pad.plane() + (pad.top + r) * pad.row() + pad.left, src + (c * rows + r) * cols,
                  cols * sizeof(float));
}
// The same for a blocked tensor of `groups` channel groups.
void pad_blocked(const float* src, int64_t groups, int64_t rows, int64_t cols, const Padding& pad, float* dst) {
  for (int64_t b = 0; b < groups; ++b)
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(dst + (b * pad.plane() + (pad.top + r) * pad.row() + pad.left) * kBlock,
                  src + ((b * rows + r) * cols) * kBlock, cols * kBlock * sizeof(float));
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

// reduce over a narrow output grid (n_out planes of rows x cols): v the padded wide side (pad),
// w [n_out][(wide vector, kx)][ky][kLanes].
void reduce(const float* v, const Padding& pad, const std::vector<int64_t>& off, const float* w, int64_t kh,
            int64_t n_out, const float* bias, Fused act, float alpha, int64_t rows, int64_t cols, float* out) {
  const int64_t iters = static_cast<int64_t>(off.size());
  for (int64_t o = 0; o < n_out; ++o)
    for (int64_t i = 0; i < rows; i += kReduceRows)
      for (int64_t j = 0; j < cols; j += kReduceCols)
        kReduce[kh - 1](v + (i * pad.row() + j) * kBlock, pad.row() * kBlock, off.data(), iters,
                        w + o * iters * kh * kLanes, bias ? bias[o] : 0.0f, act, alpha, out + (o * rows + i) * cols + j,
                        cols, static_cast<int>(std::min<int64_t>(kReduceRows, rows - i)),
                        static_cast<int>(std::min<int64_t>(kReduceCols, cols - j)));
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
    // The forward's narrow or wide input, padded by the convolution's padding over the output
    // grid plus the kernel; the output gradient padded by kernel - 1 - padding over x's grid.
    in_pad_ = {oh_ + s.kh - 1, ow_ + s.kw - 1, s.pt, s.pl, !wide_out_};
    g_pad_ = {s.h + s.kh - 1, s.w + s.kw - 1, s.kh - 1 - s.pt, s.kw - 1 - s.pl, wide_out_};
    wconv_.resize(s.c * s.f * s.kh * s.kw);
    if (wide_out_) {
      fwd_taps_ = tap_offsets(s.c, s.kh, s.kw, in_pad_, false);  // forward and weight gradient
      y_vectors_ = vector_offsets(nv_, oh_ * ow_);
      x_padded_.assign(batch * s.c * in_pad_.plane(), 0.0f);
      dx_iters_ = reduce_offsets(nv_, s.kw, g_pad_);
    } else {
      fwd_iters_ = reduce_offsets(nv_, s.kw, in_pad_);
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
          float* xp = x_padded_.data() + n * s_.c * in_pad_.plane();
          pad_planes(x + n * x_size, s_.c, s_.h, s_.w, in_pad_, xp);
          spread(xp, in_pad_.row(), fwd_taps_, wk_.data(), nv_, b, s_.act, s_.alpha, oh_, ow_, y_vectors_,
                 y + n * y_size);
        }
      });
    } else {
      // w3[o][(v, ky, kx)][lane] = w[o][v * kLanes + lane][ky][kx]
      reduce_weights(wc, false, wk_);
      ensure_scratch();
      parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int t) {
        float* xp = scratch_[t].wide_padded.data();
        for (int64_t n = b0; n < b1; ++n) {
          if (n + 1 < b1) prefetch(x + (n + 1) * x_size, x_size);  // copied next, from memory
          pad_blocked(x + n * x_size, s_.c / kBlock, s_.h, s_.w, in_pad_, xp);
          reduce(xp, in_pad_, fwd_iters_, wk_.data(), s_.kh, s_.f, b, s_.act, s_.alpha, oh_, ow_, y + n * y_size);
        }
      });
    }
    squash_(y);
  }

  void backward(const OutputGrad& og, const float* w, float* dw, float* db, float* dx) override {
    const float* wc = conv_weights(w);
    const int64_t taps = s_.kh * s_.kw, x_size = s_.c * s_.h * s_.w, y_size = s_.f * oh_ * ow_;
    if (dx) {
      if (wide_out_)
        reduce_weights(wc, true, wdx_);
      else
        spread_dx_weights(wc);
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
          gather(g, y_vectors_, oh_, ow_, x_padded_.data() + n * s_.c * in_pad_.plane(), in_pad_.row(), fwd_taps_,
                 sc.dw.data());
          if (dx) {
            pad_blocked(g, s_.f / kBlock, oh_, ow_, g_pad_, sc.wide_padded.data());
            reduce(sc.wide_padded.data(), g_pad_, dx_iters_, wdx_.data(), s_.kh, s_.c, nullptr, Fused::none, 0.0f, s_.h,
                   s_.w, dx + n * x_size);
          }
        } else {
          pad_planes(g, s_.f, oh_, ow_, g_pad_, sc.narrow_padded.data());
          sum_planes(g, sc.db.data());
          gather(x_ + n * x_size, x_vectors_, s_.h, s_.w, sc.narrow_padded.data(), g_pad_.row(), dw_taps_,
                 sc.dw.data());
          if (dx)
            spread(sc.narrow_padded.data(), g_pad_.row(), dx_taps_, wdx_.data(), nv_, nullptr, Fused::none, 0.0f, s_.h,
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
    // the wide side padded for reduce: x (forward) or g (dx). A Tensor for its cache-line
    // alignment: a 64-byte load from a 16-byte aligned buffer spans two lines, and reduce, with
    // about one load per two multiply-adds, ran at 1.28 ms a W5 last-layer forward that way
    // against 0.83 aligned (two threads).
    Tensor wide_padded;
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

  // reduce's weights [narrow out][(wide vector, kx)][ky][lane]: the forward's of a wide input
  // (from w[o][c][ky][kx]), or, flipped, the data gradient's of a wide output (from
  // w[f][c][kh - 1 - ky][kw - 1 - kx], the narrow output being c).
  void reduce_weights(const float* wc, bool data_grad, std::vector<float>& out) const {
    const int64_t kh = s_.kh, kw = s_.kw, taps = kh * kw;
    out.resize(wconv_.size());
    for (int64_t o = 0; o < narrow_; ++o)
      for (int64_t v = 0; v < nv_; ++v)
        for (int64_t kx = 0; kx < kw; ++kx)
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int l = 0; l < kLanes; ++l) {
              const int64_t k = v * kLanes + l, t = ky * kw + kx;
              const float e = data_grad ? wc[(k * s_.c + o) * taps + taps - 1 - t] : wc[(o * s_.c + k) * taps + t];
              out[(((o * nv_ + v) * kw + kx) * kh + ky) * kLanes + l] = e;
            }
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
      // slack past the end: reduce's last tiles read up to kReduceRows - 1 rows and kReduceCols
      // pixels on
      const Padding& wide_pad = wide_out_ ? g_pad_ : in_pad_;
      sc.wide_padded = Tensor({wide_ * wide_pad.plane() + (kReduceRows * wide_pad.row() + kReduceCols) * kBlock});
      if (!wide_out_) sc.narrow_padded.assign(s_.f * g_pad_.plane(), 0.0f);
      sc.dw.assign(narrow_ * s_.kh * s_.kw * nv_, splat(0));
      sc.db.assign(wide_out_ ? nv_ : s_.f, splat(0));
    }
  }

  ConvSpec s_;
  bool flip_, wide_out_;
  int64_t batch_, oh_, ow_, narrow_, wide_, nv_;
  Padding in_pad_, g_pad_;
  std::vector<int64_t> fwd_taps_, dw_taps_, dx_taps_;  // spread / gather offsets in padded narrow planes
  std::vector<int64_t> fwd_iters_, dx_iters_;          // reduce offsets in padded wide copies
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
