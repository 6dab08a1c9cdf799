#include "kernels/conv_direct.h"

#include <omp.h>

#ifdef __AVX512F__
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <vector>

#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace aekit::kernels {
namespace {

using namespace simd;

int64_t round_up(int64_t n, int64_t m) { return (n + m - 1) / m * m; }

// Sum of n floats, a vector at a time (a plain float loop would not vectorise).
inline float sum(const float* p, int64_t n) {
  vf acc = splat(0);
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) acc += load(p + i);
  float s = hsum(acc);
  for (; i < n; ++i) s += p[i];
  return s;
}

// Rows here are short (4 to 30 floats): inline vector copies beat a memcpy call per row.
inline void copy_row(const float* src, int64_t n, float* dst) {
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes) store(dst + j, load(src + j));
#ifdef __AVX512F__
  // The tail in one masked move (a 28-wide row is 16 + 12): no scalar loop.
  if (j < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - j)) - 1);
    _mm512_mask_storeu_ps(dst + j, m, _mm512_maskz_loadu_ps(m, src + j));
  }
#else
  for (; j < n; ++j) dst[j] = src[j];
#endif
}

// Calls f(act) with relu / leaky_relu / identity as a lambda, so the caller's loop is compiled
// once per activation instead of switching per element. Sigmoid and tanh are left to oneDNN's
// vectorised eltwise primitive (identity here).
template <class F>
void with_activation(Fused a, float alpha, F&& f) {
  switch (a) {
    case Fused::relu: return f([](float v) { return v > 0 ? v : 0.0f; });
    case Fused::leaky_relu: return f([alpha](float v) { return v > 0 ? v : alpha * v; });
    default: return f([](float v) { return v; });
  }
}

// A correlation of `n_in` zero-bordered planes (stride in_stride) into `n_out` planes of rows
// of stride Wp (plane stride out_stride, a multiple of the block):
//   out[f][q] = init[f] + sum_c sum_t w[(f * n_in + c) * taps + t] * in[c][q + off[t]]
struct Correlation {
  int64_t n_out, n_in, in_stride, out_stride;
  std::vector<int64_t> off;  // per tap: row * Wp + column

  // Output channels in groups of 4 with 3 vectors each (12 accumulators), or, for fewer than 4
  // outputs, one channel with 8 vectors: both keep the accumulators in registers.
  int64_t block() const { return (n_out >= 4 ? 3 : 8) * kLanes; }

  template <int NF, int NV>
  void run(int64_t f0, int64_t f1, const float* w, const float* in, float* out, const float* init) const {
    const int64_t taps = static_cast<int64_t>(off.size());
    for (int64_t f = f0; f + NF <= f1; f += NF)
      for (int64_t q = 0; q < out_stride; q += NV * kLanes) {
        vf acc[NF][NV];
        for (int a = 0; a < NF; ++a)
          for (int k = 0; k < NV; ++k) acc[a][k] = splat(init ? init[f + a] : 0.0f);
        for (int64_t c = 0; c < n_in; ++c) {
          const float* src = in + c * in_stride + q;
          const float* wc = w + (f * n_in + c) * taps;
          for (int64_t t = 0; t < taps; ++t) {
            vf xs[NV];
            for (int k = 0; k < NV; ++k) xs[k] = load(src + off[t] + kLanes * k);
            for (int a = 0; a < NF; ++a) {
              const vf wv = splat(wc[a * n_in * taps + t]);
              for (int k = 0; k < NV; ++k) acc[a][k] += wv * xs[k];
            }
          }
        }
        for (int a = 0; a < NF; ++a)
          for (int k = 0; k < NV; ++k) store(out + (f + a) * out_stride + q + kLanes * k, acc[a][k]);
      }
  }

  void operator()(const float* w, const float* in, float* out, const float* init) const {
    if (n_out >= 4) {
      const int64_t f4 = n_out / 4 * 4;
      run<4, 3>(0, f4, w, in, out, init);
      run<1, 3>(f4, n_out, w, in, out, init);
    } else {
      run<1, 8>(0, n_out, w, in, out, init);
    }
  }
};

// dw[f * R + r] += sum_{q < Q} g[f * g_stride + q] * row(r)[q] over the R = n_in * taps shifted
// input rows: a matrix product whose right operand is never materialised (implicit im2col).
// Accumulates in vectors (summed once at the end) in blocks of 4 filters x 2 rows.
struct WeightGrad {
  int64_t F, C, in_stride, g_stride, Q;
  const std::vector<int64_t>* off;

  const float* row(const float* in, int64_t r) const {
    const int64_t taps = static_cast<int64_t>(off->size());
    return in + (r / taps) * in_stride + (*off)[r % taps];
  }

  void operator()(const float* g, const float* in, vf* dw) const {
    const int64_t R = C * static_cast<int64_t>(off->size());
    int64_t f = 0;
    for (; f + 4 <= F; f += 4) {
      const float *g0 = g + f * g_stride, *g1 = g0 + g_stride, *g2 = g1 + g_stride, *g3 = g2 + g_stride;
      int64_t r = 0;
      for (; r + 2 <= R; r += 2) {
        vf a00 = splat(0), a01 = splat(0), a10 = splat(0), a11 = splat(0);
        vf a20 = splat(0), a21 = splat(0), a30 = splat(0), a31 = splat(0);
        const float *x0 = row(in, r), *x1 = row(in, r + 1);
        for (int64_t q = 0; q < Q; q += kLanes) {
          const vf u = load(x0 + q), v = load(x1 + q);
          const vf h0 = load(g0 + q), h1 = load(g1 + q), h2 = load(g2 + q), h3 = load(g3 + q);
          a00 += h0 * u, a01 += h0 * v, a10 += h1 * u, a11 += h1 * v;
          a20 += h2 * u, a21 += h2 * v, a30 += h3 * u, a31 += h3 * v;
        }
        dw[f * R + r] += a00, dw[f * R + r + 1] += a01;
        dw[(f + 1) * R + r] += a10, dw[(f + 1) * R + r + 1] += a11;
        dw[(f + 2) * R + r] += a20, dw[(f + 2) * R + r + 1] += a21;
        dw[(f + 3) * R + r] += a30, dw[(f + 3) * R + r + 1] += a31;
      }
      for (; r < R; ++r)
        for (int64_t k = f; k < f + 4; ++k) single(g + k * g_stride, row(in, r), dw[k * R + r]);
    }
    for (; f < F; ++f) {  // one filter against 8 rows at a time
      const float* gf = g + f * g_stride;
      int64_t r = 0;
      for (; r + 8 <= R; r += 8) {
        vf a[8];
        const float* x[8];
        for (int k = 0; k < 8; ++k) a[k] = splat(0), x[k] = row(in, r + k);
        for (int64_t q = 0; q < Q; q += kLanes) {
          const vf h = load(gf + q);
          for (int k = 0; k < 8; ++k) a[k] += h * load(x[k] + q);
        }
        for (int k = 0; k < 8; ++k) dw[f * R + r + k] += a[k];
      }
      for (; r < R; ++r) single(gf, row(in, r), dw[f * R + r]);
    }
  }

  void single(const float* g, const float* x, vf& acc) const {
    vf a = splat(0);
    for (int64_t q = 0; q < Q; q += kLanes) a += load(g + q) * load(x + q);
    acc += a;
  }
};

// dst[j][i][t] = src[i][j][taps - 1 - t] for i < a, j < b: swaps the two channel axes and
// turns the kernel by 180 degrees.
void flip_transpose(const float* src, int64_t a, int64_t b, int64_t taps, float* dst) {
  for (int64_t i = 0; i < a; ++i)
    for (int64_t j = 0; j < b; ++j)
      for (int64_t t = 0; t < taps; ++t) dst[(j * a + i) * taps + t] = src[(i * b + j) * taps + taps - 1 - t];
}

// A stride-1 transposed convolution is the convolution with the flipped kernel
// (w'[f][c] = flip(w[c][f])) and padding kernel - 1 - crop on each side.
ConvSpec as_convolution(ConvSpec s) {
  if (!s.transposed) return s;
  s.transposed = false;
  s.pt = s.kh - 1 - s.pt, s.pb = s.kh - 1 - s.pb, s.pl = s.kw - 1 - s.pl, s.pr = s.kw - 1 - s.pr;
  return s;
}

class DirectPlan final : public Conv::Plan {
 public:
  // Everything below is in terms of the (equivalent) convolution s_; flip_ marks a transposed
  // one, whose weights are flipped on the way in and their gradient on the way out.
  DirectPlan(const ConvSpec& spec, int64_t batch) : s_(as_convolution(spec)), flip_(spec.transposed), batch_(batch) {
    const ConvSpec& s = s_;
    const int64_t kh = s.kh, kw = s.kw, taps = kh * kw;
    oh_ = s.out_h(), ow_ = s.out_w();
    // forward: x bordered by the padding, output rows of stride wp_
    wp_ = s.w + s.pl + s.pr;
    fwd_.n_out = s.f, fwd_.n_in = s.c;
    fwd_.out_stride = round_up(oh_ * wp_, fwd_.block());
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j) fwd_.off.push_back(i * wp_ + j);
    // reads reach out_stride + the last tap's offset past a plane's start
    fwd_.in_stride = std::max((s.h + s.pt + s.pb) * wp_, fwd_.out_stride + fwd_.off.back()) + kLanes;
    bw_ = {s.f, s.c, fwd_.in_stride, fwd_.out_stride, round_up(oh_ * wp_, kLanes), &fwd_.off};
    // data gradient: g bordered by kernel - 1 - padding, correlated with the flipped kernel
    gwp_ = ow_ + (kw - 1 - s.pl) + (kw - 1 - s.pr);
    const int64_t ghp = oh_ + (kh - 1 - s.pt) + (kh - 1 - s.pb);
    bwd_.n_out = s.c, bwd_.n_in = s.f;
    bwd_.out_stride = round_up(s.h * gwp_, bwd_.block());
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j) bwd_.off.push_back(i * gwp_ + j);
    bwd_.in_stride = std::max(ghp * gwp_, bwd_.out_stride + bwd_.off.back()) + kLanes;
    wt_.resize(s.c * s.f * taps);
    if (flip_) wconv_.resize(s.c * s.f * taps);
    if (s.act == Fused::sigmoid || s.act == Fused::tanh) {
      const auto alg = s.act == Fused::sigmoid ? dnnl::algorithm::eltwise_logistic : dnnl::algorithm::eltwise_tanh;
      const dnnl::memory::desc md({batch * s.f * oh_ * ow_}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x);
      squash_.emplace(dnnl::eltwise_forward::primitive_desc(
          dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, alg, md), engine_));
      y_mem_ = dnnl::memory(md, engine_, DNNL_MEMORY_NONE);
    }
  }

  void forward(const float* x, const float* w, const float* b, float* y) override {
    x_ = x;
    if (flip_) {
      flip_transpose(w, s_.c, s_.f, s_.kh * s_.kw, wconv_.data());
      w = wconv_.data();
    }
    ensure_scratch();
    const int64_t in_size = s_.c * s_.h * s_.w, out_size = s_.f * oh_ * ow_;
    parallel_for(batch_, 1, [&](int64_t b0, int64_t b1, int t) {
      Scratch& sc = scratch_[t];
      for (int64_t n = b0; n < b1; ++n) {
        border(x + n * in_size, s_.c, s_.h, s_.w, s_.pt, s_.pl, wp_, fwd_.in_stride, sc.in.data());
        fwd_(w, sc.in.data(), sc.out.data(), b);
        float* yn = y + n * out_size;
        with_activation(s_.act, s_.alpha, [&](auto act) {
          for (int64_t f = 0; f < s_.f; ++f)
            for (int64_t i = 0; i < oh_; ++i) {
              const float* o = sc.out.data() + f * fwd_.out_stride + i * wp_;
              float* d = yn + (f * oh_ + i) * ow_;
              for (int64_t j = 0; j < ow_; ++j) d[j] = act(o[j]);
            }
        });
      }
    });
    if (squash_) {  // sigmoid / tanh in place, vectorised
      y_mem_.set_data_handle(y);
      squash_->execute(stream_, {{DNNL_ARG_SRC, y_mem_}, {DNNL_ARG_DST, y_mem_}});
      stream_.wait();
    }
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
        const float* gn = og.dy + n * out_size;
        if (og.make) {
          og.make(n * out_size, out_size, sc.gn.data());
          gn = sc.gn.data();
        }
        border(x_ + n * in_size, s_.c, s_.h, s_.w, s_.pt, s_.pl, wp_, fwd_.in_stride, sc.in.data());
        // g on rows of stride wp_; the extra columns stay zero, so they add nothing
        border(gn, s_.f, oh_, ow_, 0, 0, wp_, fwd_.out_stride, sc.g.data());
        for (int64_t f = 0; f < s_.f; ++f) sc.db[f] += sum(gn + f * oh_ * ow_, oh_ * ow_);
        bw_(sc.g.data(), sc.in.data(), sc.dw.data());
        if (!dx) continue;
        border(gn, s_.f, oh_, ow_, s_.kh - 1 - s_.pt, s_.kw - 1 - s_.pl, gwp_, bwd_.in_stride, sc.gin.data());
        bwd_(wt, sc.gin.data(), sc.dout.data(), nullptr);
        float* dxn = dx + n * in_size;
        for (int64_t c = 0; c < s_.c; ++c)
          for (int64_t i = 0; i < s_.h; ++i)
            copy_row(sc.dout.data() + c * bwd_.out_stride + i * gwp_, s_.w, dxn + (c * s_.h + i) * s_.w);
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
    std::vector<float> in, out, g, gn, gin, dout, db;
    std::vector<vf> dw;
  };

  // Copies n planes of h x w into zero-bordered planes (row stride `stride`, plane stride
  // `plane`) at row `top`, column `left`. Borders are never written, so they stay zero.
  static void border(const float* src, int64_t n, int64_t h, int64_t w, int64_t top, int64_t left,
                     int64_t stride, int64_t plane, float* dst) {
    for (int64_t c = 0; c < n; ++c)
      for (int64_t i = 0; i < h; ++i) copy_row(src + (c * h + i) * w, w, dst + c * plane + (top + i) * stride + left);
  }

  // One set of buffers per thread, zero-filled once (the borders must stay zero). Called before
  // the threads start, so they never resize the vector under each other.
  void ensure_scratch() {
    const size_t nt = static_cast<size_t>(omp_get_max_threads());
    if (scratch_.size() >= nt) return;
    scratch_.resize(nt);
    for (Scratch& sc : scratch_) {
      if (!sc.in.empty()) continue;
      sc.in.assign(s_.c * fwd_.in_stride, 0.0f);
      sc.out.assign(s_.f * fwd_.out_stride, 0.0f);
      sc.g.assign(s_.f * fwd_.out_stride, 0.0f);
      sc.gn.assign(s_.f * oh_ * ow_, 0.0f);
      sc.gin.assign(s_.f * bwd_.in_stride, 0.0f);
      sc.dout.assign(s_.c * bwd_.out_stride, 0.0f);
      sc.db.assign(s_.f, 0.0f);
      sc.dw.assign(s_.f * s_.c * s_.kh * s_.kw, splat(0));
    }
  }

  ConvSpec s_;
  bool flip_;
  int64_t batch_, oh_ = 0, ow_ = 0, wp_ = 0, gwp_ = 0;
  Correlation fwd_, bwd_;
  WeightGrad bw_{};
  std::vector<float> wt_, wconv_;  // flipped kernels: for the data gradient / of a transposed conv
  std::vector<Scratch> scratch_;
  const float* x_ = nullptr;
  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  std::optional<dnnl::eltwise_forward> squash_;
  dnnl::memory y_mem_;
};

}  // namespace

bool direct_suits(const ConvSpec& s) {
  // Padding (or a transposed conv's crop) within [0, kernel - 1]: then both the convolution and
  // its data gradient (or the transposed conv's equivalent convolution) only ever pad.
  auto fits = [](int64_t p, int64_t k) { return p >= 0 && p < k; };
  return s.sh == 1 && s.sw == 1 && std::min(s.c, s.f) < 8 && fits(s.pt, s.kh) && fits(s.pb, s.kh) &&
         fits(s.pl, s.kw) && fits(s.pr, s.kw);
}

std::unique_ptr<Conv::Plan> make_direct_plan(const ConvSpec& s, int64_t batch) {
  return std::make_unique<DirectPlan>(s, batch);
}

}  // namespace aekit::kernels
