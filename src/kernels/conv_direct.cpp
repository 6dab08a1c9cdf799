#include "kernels/conv_direct.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace aekit::kernels {
namespace {

using namespace simd;

// Output rows per tile (7: the fastest of 4, 6, 7 and 8 on W4/W5's shapes; 8 made GCC 12 spill
// accumulators, and 7 divides MNIST's 28 and 14), and the largest kernel height with a compiled
// tile kernel.
constexpr int kRows = 7;
constexpr int kMaxKernel = 7;

// One stride-1 correlation with zero padding, on plain planes:
//   out[f][i][j] = sum_c sum_{ky, kx} w[f][c][ky][kx] * in[c][i + ky - pt][j + kx - pl]
// in: n_in planes of h x w; out: n_out planes of oh x ow. Reads outside `in` are zeros. The
// forward is one; the data gradient another (output gradient against the flipped, transposed
// kernel); the weight gradient walks the forward's.
//
// Outputs are cut into tiles of kRows rows by one column group of 1 or 2 vectors. A tile reads
// input rows i0 - pt ... i0 - pt + kRows + kh - 2, each shifted by kx, through masks that zero
// whatever falls outside the plane (padding columns, rows above or below): precomputed here per
// tile, so the kernels neither branch nor copy anything into bordered planes.
struct Geometry {
  int64_t n_in = 0, h = 0, w = 0, n_out = 0, oh = 0, ow = 0, kh = 0, kw = 0, pt = 0, pl = 0;

  struct Group {
    int64_t j0 = 0;  // first output column
    int pieces = 1;  // vectors per row
    mask store[2];   // output lanes inside the plane, per vector
  };
  std::vector<Group> groups;
  int64_t blocks = 0;       // row blocks: ceil(oh / kRows)
  std::vector<mask> masks;  // [block][group][kx][span row][vector]
  // [block][span row]: where in a plane that input row starts. A row outside the plane (its
  // masks are empty) points at row 0 instead: even a fully masked load can cost a cache miss
  // when its address lies in memory that is not cached, such as the next sample's planes.
  std::vector<int64_t> row_offsets;

  Geometry() = default;
  Geometry(int64_t n_in_, int64_t h_, int64_t w_, int64_t n_out_, int64_t oh_, int64_t ow_, int64_t kh_, int64_t kw_,
           int64_t pt_, int64_t pl_)
      : n_in(n_in_), h(h_), w(w_), n_out(n_out_), oh(oh_), ow(ow_), kh(kh_), kw(kw_), pt(pt_), pl(pl_) {
    for (int64_t j0 = 0; j0 < ow; j0 += 2 * kLanes) {
      Group g;
      g.j0 = j0;
      g.pieces = ow - j0 > kLanes ? 2 : 1;
      for (int p = 0; p < 2; ++p) g.store[p] = lanes(0, static_cast<int>(std::clamp<int64_t>(ow - j0 - p * kLanes, 0, kLanes)));
      groups.push_back(g);
    }
    blocks = (oh + kRows - 1) / kRows;
    for (int64_t b = 0; b < blocks; ++b) {
      std::vector<char> inside(span());
      for (int64_t rr = 0; rr < span(); ++rr) {
        const int64_t r = b * kRows + rr - pt;
        inside[rr] = r >= 0 && r < h;
        row_offsets.push_back(inside[rr] ? r * w : 0);
      }
      for (const Group& g : groups)
        for (int64_t kx = 0; kx < kw; ++kx)
          for (int64_t rr = 0; rr < span(); ++rr)
            for (int p = 0; p < 2; ++p) {
              const int64_t col = g.j0 + p * kLanes + kx - pl;  // lane 0's input column
              masks.push_back(inside[rr] ? lanes(static_cast<int>(std::clamp<int64_t>(-col, 0, kLanes)),
                                                 static_cast<int>(std::clamp<int64_t>(w - col, 0, kLanes)))
                                         : lanes(0, 0));
            }
    }
  }
  int64_t span() const { return kRows + kh - 1; }
  int64_t taps() const { return kh * kw; }
  const int64_t* tile_rows(int64_t block) const { return row_offsets.data() + block * span(); }
  const mask* tile_masks(int64_t block, size_t group) const {
    return masks.data() + (block * static_cast<int64_t>(groups.size()) + static_cast<int64_t>(group)) * kw * span() * 2;
  }
};

// One output plane's tiles in one column group: rows [i0, i0 + kRows) x the group's columns
// for every row block i0. in: all input planes; w: this output's weights [n_in][kh][kw]. Each
// loaded input vector serves every kernel row ky that maps it into the tile (up to KH
// multiply-adds per load) with the KH weights of one column kx in registers; the kRows x P
// accumulators stay in registers over one flat loop of (input channel, kx). Rows past the
// plane's end are computed and not stored.
template <int KH, int P>
void correlate_tiles(const Geometry& g, size_t group, const float* in, const float* w, float bias, Fused act,
                     float alpha, float* out) {
  constexpr int kSpan = kRows + KH - 1;
  const Geometry::Group& grp = g.groups[group];
  const int64_t plane = g.h * g.w, taps = KH * g.kw, iters = g.n_in * g.kw;
  for (int64_t b = 0, i0 = 0; b < g.blocks; ++b, i0 += kRows) {
    const mask* masks = g.tile_masks(b, group);
    const int64_t* rows = g.tile_rows(b);
    vf acc[kRows][P];
    for (auto& row : acc)
      for (vf& a : row) a = splat(bias);
    const float* src = in + grp.j0 - g.pl;  // column of lane 0 at the first tap
    const float* wc = w;
    const mask* m = masks;
    for (int64_t it = 0, kx = 0; it < iters; ++it) {
      vf wv[KH];
#pragma GCC unroll 8
      for (int ky = 0; ky < KH; ++ky) wv[ky] = splat(wc[ky * g.kw + kx]);
#pragma GCC unroll 16
      for (int rr = 0; rr < kSpan; ++rr) {
#pragma GCC unroll 2
        for (int p = 0; p < P; ++p) {
          const vf v = load(src + rows[rr] + kx + p * kLanes, m[rr * 2 + p]);
#pragma GCC unroll 8
          for (int ky = 0; ky < KH; ++ky)
            if (rr - ky >= 0 && rr - ky < kRows) acc[rr - ky][p] += wv[ky] * v;
        }
      }
      m += kSpan * 2;
      if (++kx == g.kw) kx = 0, src += plane, wc += taps, m = masks;
    }
    float* o = out + i0 * g.ow + grp.j0;
    for (int r = 0; r < kRows && i0 + r < g.oh; ++r)
      for (int p = 0; p < P; ++p) store(o + r * g.ow + p * kLanes, activate(acc[r][p], act, alpha), grp.store[p]);
  }
}

// The weight gradient's share of one output plane f's tiles in one column group:
//   dw[f][c][ky][kx] += sum over the tiles of g[f][i][j] * in[c][i + ky - pt][j + kx - pl]
// and db[f] += the sum of g. The tile of g (zero past the plane's end) is held in registers for
// all input channels; each loaded input vector serves up to KH kernel rows. grad: plane f of g,
// or of dy when y is given: then g = (y > 0 ? 1 : slope) * dy is made here as the tile is loaded.
// dw: its vector accumulators [n_in][kh][kw] (summed over lanes by the caller).
template <int KH, int P>
void weight_grad_tiles(const Geometry& g, size_t group, const float* grad, const float* y, float slope,
                       const float* in, vf* dw, float& db) {
  constexpr int kSpan = kRows + KH - 1;
  const Geometry::Group& grp = g.groups[group];
  const int64_t plane = g.h * g.w, taps = KH * g.kw, iters = g.n_in * g.kw;
  vf bias_sum = splat(0);
  for (int64_t b = 0, i0 = 0; b < g.blocks; ++b, i0 += kRows) {
    const mask* masks = g.tile_masks(b, group);
    const int64_t* rows = g.tile_rows(b);
    vf gt[kRows][P];
    const int64_t at = i0 * g.ow + grp.j0;
    for (int r = 0; r < kRows; ++r)
      for (int p = 0; p < P; ++p) {
        const mask m = i0 + r < g.oh ? grp.store[p] : lanes(0, 0);
        const int64_t k = at + r * g.ow + p * kLanes;
        gt[r][p] = load(grad + k, m);
        if (y) gt[r][p] = load(y + k, m) > splat(0) ? gt[r][p] : gt[r][p] * slope;
        bias_sum += gt[r][p];
      }
    const float* src = in + grp.j0 - g.pl;
    vf* d = dw;
    const mask* m = masks;
    for (int64_t it = 0, kx = 0; it < iters; ++it) {
      // Separate sums per vector and, for short kernels, per row parity: one sum per kernel row
      // would be a chain of dependent multiply-adds as long as the tile (latency-bound).
      constexpr int kSets = KH <= 3 ? 2 : 1;
      vf acc[KH][kSets][P];
      for (auto& a : acc)
        for (auto& b : a)
          for (vf& c : b) c = splat(0);
#pragma GCC unroll 16
      for (int rr = 0; rr < kSpan; ++rr) {
#pragma GCC unroll 2
        for (int p = 0; p < P; ++p) {
          const vf u = load(src + rows[rr] + kx + p * kLanes, m[rr * 2 + p]);
#pragma GCC unroll 8
          for (int ky = 0; ky < KH; ++ky)
            if (rr - ky >= 0 && rr - ky < kRows) acc[ky][rr % kSets][p] += gt[rr - ky][p] * u;
        }
      }
#pragma GCC unroll 8
      for (int ky = 0; ky < KH; ++ky) {
        vf total = d[ky * g.kw + kx];
        for (int k = 0; k < kSets; ++k)
          for (int p = 0; p < P; ++p) total += acc[ky][k][p];
        d[ky * g.kw + kx] = total;
      }
      m += kSpan * 2;
      if (++kx == g.kw) kx = 0, src += plane, d += taps, m = masks;
    }
  }
  db += hsum(bias_sum);
}

// The tile kernels for kernel heights 1..kMaxKernel and 1 or 2 vectors per row.
using CorrelateTiles = void (*)(const Geometry&, size_t, const float*, const float*, float, Fused, float, float*);
using WeightGradTiles = void (*)(const Geometry&, size_t, const float*, const float*, float, const float*, vf*,
                                 float&);
template <int... K>
constexpr auto correlate_table(std::integer_sequence<int, K...>) {
  return std::array<std::array<CorrelateTiles, 2>, sizeof...(K)>{{{&correlate_tiles<K + 1, 1>, &correlate_tiles<K + 1, 2>}...}};
}
template <int... K>
constexpr auto weight_grad_table(std::integer_sequence<int, K...>) {
  return std::array<std::array<WeightGradTiles, 2>, sizeof...(K)>{
      {{&weight_grad_tiles<K + 1, 1>, &weight_grad_tiles<K + 1, 2>}...}};
}
constexpr auto kCorrelate = correlate_table(std::make_integer_sequence<int, kMaxKernel>());
constexpr auto kWeightGrad = weight_grad_table(std::make_integer_sequence<int, kMaxKernel>());

// One sample: out = act(correlation of `in` with w + bias). Output plane by output plane, so
// each plane is written from start to end.
void correlate(const Geometry& g, const float* in, const float* w, const float* bias, Fused act, float alpha,
               float* out) {
  const auto& fn = kCorrelate[g.kh - 1];
  const int64_t out_plane = g.oh * g.ow;
  prefetch_for_write(out, out_plane);
  for (int64_t f = 0; f < g.n_out; ++f) {
    if (f + 1 < g.n_out) prefetch_for_write(out + (f + 1) * out_plane, out_plane);
    for (size_t k = 0; k < g.groups.size(); ++k)
      fn[g.groups[k].pieces - 1](g, k, in, w + f * g.n_in * g.taps(), bias ? bias[f] : 0.0f, act, alpha,
                                 out + f * out_plane);
  }
}

// One sample: dw += its weight gradient (vector accumulators [n_out][n_in][kh][kw]), db += its
// bias gradient. grad: g, or dy with y and slope (see weight_grad_tiles).
void weight_grad(const Geometry& g, const float* grad, const float* y, float slope, const float* in, vf* dw,
                 float* db) {
  const auto& fn = kWeightGrad[g.kh - 1];
  const int64_t out_plane = g.oh * g.ow;
  for (int64_t f = 0; f < g.n_out; ++f) {
    if (f + 1 < g.n_out) {  // the tiles' masked loads do not train the hardware prefetchers
      prefetch(grad + (f + 1) * out_plane, out_plane);
      if (y) prefetch(y + (f + 1) * out_plane, out_plane);
    }
    for (size_t k = 0; k < g.groups.size(); ++k)
      fn[g.groups[k].pieces - 1](g, k, grad + f * out_plane, y ? y + f * out_plane : nullptr, slope, in,
                                 dw + f * g.n_in * g.taps(), db[f]);
  }
}

class DirectPlan final : public Conv::Plan {
 public:
  // Everything below is in terms of the (equivalent) convolution s_; flip_ marks a transposed
  // one, whose weights are flipped on the way in and their gradient on the way out.
  DirectPlan(const ConvSpec& spec, int64_t batch)
      : s_(as_convolution(spec)), flip_(spec.transposed), batch_(batch), squash_(s_.act, batch * s_.f * s_.out_h() * s_.out_w()) {
    const ConvSpec& s = s_;
    oh_ = s.out_h(), ow_ = s.out_w();
    fwd_ = Geometry(s.c, s.h, s.w, s.f, oh_, ow_, s.kh, s.kw, s.pt, s.pl);
    // data gradient: g correlated with the flipped kernel, padded by kernel - 1 - padding
    bwd_ = Geometry(s.f, oh_, ow_, s.c, s.h, s.w, s.kh, s.kw, s.kh - 1 - s.pt, s.kw - 1 - s.pl);
    wt_.resize(s.c * s.f * s.kh * s.kw);
    if (flip_) wconv_.resize(s.c * s.f * s.kh * s.kw);
  }

  void forward(const float* x, const float* w, const float* b, float* y) override {
    x_ = x;
    if (flip_) {
      flip_transpose(w, s_.c, s_.f, s_.kh * s_.kw, wconv_.data());
      w = wconv_.data();
    }
    const int64_t in_size = s_.c * s_.h * s_.w, out_size = s_.f * oh_ * ow_;
    parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int) {
      for (int64_t n = b0; n < b1; ++n) {
        if (n + 1 < b1) prefetch(x + (n + 1) * in_size, in_size);
        correlate(fwd_, x + n * in_size, w, b, s_.act, s_.alpha, y + n * out_size);
      }
    });
    squash_(y);
  }

  void backward(const OutputGrad& og, const float* w, float* dw, float* db, float* dx) override {
    const int64_t taps = s_.kh * s_.kw, in_size = s_.c * s_.h * s_.w, out_size = s_.f * oh_ * ow_;
    // The data gradient correlates with flip(w')^T: that is w itself for a transposed conv.
    const float* wt = w;
    if (dx && !flip_) {
      flip_transpose(w, s_.f, s_.c, taps, wt_.data());
      wt = wt_.data();
    }
    ensure_scratch();
    for (Scratch& sc : scratch_) {
      std::fill(sc.dw.begin(), sc.dw.end(), splat(0));
      std::fill(sc.db.begin(), sc.db.end(), 0.0f);
    }
    parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int t) {
      Scratch& sc = scratch_[t];
      for (int64_t n = b0; n < b1; ++n) {
        if (n + 1 < b1) {  // the next sample, read by masked loads that train no prefetcher
          prefetch(x_ + (n + 1) * in_size, in_size);
          prefetch(og.dy + (n + 1) * out_size, out_size);
          if (og.y) prefetch(og.y + (n + 1) * out_size, out_size);
        }
        const float* dyn = og.dy + n * out_size;
        if (!dx && og.y) {  // g = act'(y) * dy is only needed by the weight gradient: made there
          weight_grad(fwd_, dyn, og.y + n * out_size, og.slope, x_ + n * in_size, sc.dw.data(), sc.db.data());
          continue;
        }
        const float* gn = dyn;
        if (og.make) {
          og.make(n * out_size, out_size, sc.gn.data());
          gn = sc.gn.data();
        }
        weight_grad(fwd_, gn, nullptr, 0.0f, x_ + n * in_size, sc.dw.data(), sc.db.data());
        if (dx) correlate(bwd_, gn, wt, nullptr, Fused::none, 0.0f, dx + n * in_size);
      }
    });
    float* dwc = flip_ ? wconv_.data() : dw;  // the convolution's weight gradient
    for (int64_t i = 0; i < s_.f * s_.c * taps; ++i) {
      float total = 0;
      for (const Scratch& sc : scratch_) total += hsum(sc.dw[i]);
      dwc[i] = total;
    }
    if (flip_) flip_transpose(dwc, s_.f, s_.c, taps, dw);
    if (db)
      for (int64_t f = 0; f < s_.f; ++f) {
        float total = 0;
        for (const Scratch& sc : scratch_) total += sc.db[f];
        db[f] = total;
      }
  }

 private:
  struct Scratch {
    std::vector<float> gn, db;  // one sample's g = dy * act'(y); the bias gradient
    std::vector<vf> dw;         // weight-gradient accumulators, one vector per weight
  };

  // One set of buffers per thread. Called before the threads start, so they never resize the
  // vector under each other.
  void ensure_scratch() {
    const size_t nt = static_cast<size_t>(omp_get_max_threads());
    if (scratch_.size() >= nt) return;
    scratch_.resize(nt);
    for (Scratch& sc : scratch_) {
      if (!sc.gn.empty()) continue;
      sc.gn.assign(s_.f * oh_ * ow_, 0.0f);
      sc.db.assign(s_.f, 0.0f);
      sc.dw.assign(s_.f * s_.c * s_.kh * s_.kw, splat(0));
    }
  }

  ConvSpec s_;
  bool flip_;
  int64_t batch_, oh_ = 0, ow_ = 0;
  Geometry fwd_, bwd_;
  std::vector<float> wt_, wconv_;  // flipped kernels: for the data gradient / of a transposed conv
  std::vector<Scratch> scratch_;
  const float* x_ = nullptr;
  OutputSquash squash_;
};

}  // namespace

struct PlaneCorrelation::Impl {
  Geometry g;
};
PlaneCorrelation::PlaneCorrelation(int64_t n_in, int64_t h, int64_t w, int64_t n_out, int64_t oh, int64_t ow, int64_t kh,
                                   int64_t kw, int64_t pt, int64_t pl)
    : impl_(std::make_unique<Impl>(Impl{Geometry(n_in, h, w, n_out, oh, ow, kh, kw, pt, pl)})) {}
PlaneCorrelation::~PlaneCorrelation() = default;
PlaneCorrelation::PlaneCorrelation(PlaneCorrelation&&) noexcept = default;
PlaneCorrelation& PlaneCorrelation::operator=(PlaneCorrelation&&) noexcept = default;
void PlaneCorrelation::operator()(const float* in, const float* w, const float* bias, Fused act, float alpha,
                                  float* out) const {
  correlate(impl_->g, in, w, bias, act, alpha, out);
}

void flip_transpose(const float* src, int64_t a, int64_t b, int64_t taps, float* dst) {
  for (int64_t i = 0; i < a; ++i)
    for (int64_t j = 0; j < b; ++j)
      for (int64_t t = 0; t < taps; ++t) dst[(j * a + i) * taps + t] = src[(i * b + j) * taps + taps - 1 - t];
}

OutputSquash::OutputSquash(Fused act, int64_t n) {
  if (act != Fused::sigmoid && act != Fused::tanh) return;
  const auto alg = act == Fused::sigmoid ? dnnl::algorithm::eltwise_logistic : dnnl::algorithm::eltwise_tanh;
  const dnnl::memory::desc md({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x);
  squash_.emplace(dnnl::eltwise_forward::primitive_desc(
      dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, alg, md), engine_));
  y_mem_ = dnnl::memory(md, engine_, DNNL_MEMORY_NONE);
}

void OutputSquash::operator()(float* y) {
  if (!squash_) return;
  y_mem_.set_data_handle(y);
  squash_->execute(stream_, {{DNNL_ARG_SRC, y_mem_}, {DNNL_ARG_DST, y_mem_}});
  stream_.wait();
}

ConvSpec as_convolution(ConvSpec s) {
  if (!s.transposed) return s;
  s.transposed = false;
  s.pt = s.kh - 1 - s.pt, s.pb = s.kh - 1 - s.pb, s.pl = s.kw - 1 - s.pl, s.pr = s.kw - 1 - s.pr;
  return s;
}

bool direct_suits(const ConvSpec& s) {
  // Padding (or a transposed conv's crop) within [0, kernel - 1]: then both the convolution and
  // its data gradient (or the transposed conv's equivalent convolution) only ever pad.
  auto fits = [](int64_t p, int64_t k) { return p >= 0 && p < k; };
  return s.sh == 1 && s.sw == 1 && std::min(s.c, s.f) < 8 && s.kh <= kMaxKernel && fits(s.pt, s.kh) &&
         fits(s.pb, s.kh) && fits(s.pl, s.kw) && fits(s.pr, s.kw);
}

std::unique_ptr<Conv::Plan> make_direct_plan(const ConvSpec& s, int64_t batch) {
  return std::make_unique<DirectPlan>(s, batch);
}

}  // namespace aekit::kernels
