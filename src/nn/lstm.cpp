#include "nn/lstm.h"

#include <omp.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "kernels/matmul.h"
#include "kernels/packed_gemv_bf16.h"
#include "kernels/parallel.h"
#include "kernels/precision.h"
#include "kernels/simd.h"
#include "tensor/error.h"

extern "C" {
void sgeqrf_(const int* m, const int* n, float* a, const int* lda, float* tau, float* work,
             const int* lwork, int* info);
void sorgqr_(const int* m, const int* n, const int* k, float* a, const int* lda, const float* tau,
             float* work, const int* lwork, int* info);
}

namespace aekit::nn {
namespace {

// The gate nonlinearities on whole vectors (simd.h: 16 lanes with AVX-512, else 8): std::exp /
// std::tanh do not vectorise, and plain-float selects with constants defeat the auto-vectoriser,
// while the forward cell evaluates 5 of these per hidden unit per step. Cephes' single-precision
// polynomials: within 3 ulp of the true values (checked in the tests through the layer).
using kernels::simd::splat;
using kernels::simd::vf;
using kernels::simd::vi;
constexpr int64_t kLanes = kernels::simd::kLanes;

// By count rather than simd.h's masks: n = kLanes after inlining compiles to one plain unaligned
// load/store (also without AVX-512); n < kLanes is a row's tail.
[[gnu::always_inline]] inline vf load(const float* p, int64_t n) {
  vf v{};
  std::memcpy(&v, p, n * sizeof(float));
  return v;
}
[[gnu::always_inline]] inline void store(float* p, vf v, int64_t n) {
  std::memcpy(p, &v, n * sizeof(float));
}

inline vf vexp(vf x) {
  x = x > splat(-87.3f) ? x : splat(-87.3f);  // keeps 2^n a normal float
  x = x < splat(88.3f) ? x : splat(88.3f);
  const vf n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;  // round to nearest
  vf r = x - n * 0.693359375f;  // x - n ln2 in two parts, exactly
  r = r + n * 2.12194440e-4f;
  vf p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  return p * std::bit_cast<vf>((__builtin_convertvector(n, vi) + 127) << 23);  // * 2^n
}

inline vf vsigmoid(vf x) { return 1.0f / (1.0f + vexp(-x)); }

inline vf vtanh(vf x) {
  const vi sign = std::bit_cast<vi>(x) & static_cast<int32_t>(0x80000000u);
  const vf a = std::bit_cast<vf>(std::bit_cast<vi>(x) ^ sign);
  const vf s = x * x;
  // |x| < 0.625: odd polynomial, where 1 - 2/(e^2|x| + 1) would cancel.
  const vf small = ((((-5.70498872745e-3f * s + 2.06390887954e-2f) * s - 5.37397155531e-2f) * s +
                      1.33314422036e-1f) * s - 3.33332819422e-1f) * s * x + x;
  const vf large = std::bit_cast<vf>(std::bit_cast<vi>(1.0f - 2.0f / (vexp(2.0f * a) + 1.0f)) | sign);
  return a < splat(0.625f) ? small : large;
}

// tanh of one sample's cell state, the one function forward and backward both use for it, so
// backward's recomputed tanh(c) has the bits forward's h was made from.
inline __attribute__((always_inline)) vf cell_tanh(vf c) { return vtanh(c); }

// One sample's forward cell: activates its gates z = [i f g o] in place, writes c and h.
void cell_forward(float* z, const float* c_prev, float* c, float* h, int64_t H) {
  const auto lanes = [&](int64_t j, int64_t n) __attribute__((always_inline)) {
    const vf i = vsigmoid(load(z + j, n)), f = vsigmoid(load(z + H + j, n)),
             g = vtanh(load(z + 2 * H + j, n)), o = vsigmoid(load(z + 3 * H + j, n));
    const vf cj = f * load(c_prev + j, n) + i * g;
    store(z + j, i, n);
    store(z + H + j, f, n);
    store(z + 2 * H + j, g, n);
    store(z + 3 * H + j, o, n);
    store(c + j, cj, n);
    store(h + j, o * cell_tanh(cj), n);
  };
  int64_t j = 0;
  for (; j + kLanes <= H; j += kLanes) lanes(j, kLanes);
  if (j < H) lanes(j, H - j);
}

// tc[0, H) = tanh(c[0, H)), in the lanes cell_forward used.
void cell_tanh_row(const float* c, float* tc, int64_t H) {
  int64_t j = 0;
  for (; j + kLanes <= H; j += kLanes) store(tc + j, cell_tanh(load(c + j, kLanes)), kLanes);
  if (j < H) store(tc + j, cell_tanh(load(c + j, H - j)), H - j);
}

// True when x[b, t] == x[b, 0] for every sample b and step t (bitwise).
bool constant_over_time(const Tensor& x) {
  const int64_t B = x.dim(0), T = x.dim(1), F = x.dim(2);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 1; t < T; ++t)
      if (std::memcmp(x.data() + (b * T + t) * F, x.data() + b * T * F, F * sizeof(float)) != 0) return false;
  return true;
}

// Rows of a [rows, n] loop per thread so that each thread gets at least ~16k elements.
int64_t rows_per_thread(int64_t n) { return std::max<int64_t>(1, 16384 / std::max<int64_t>(1, n)); }

// dst [cols, rows] = src [rows, cols]^T in 16 x 16 tiles, the inner loop writing contiguously
// (about 9x faster than the naive order for 2048 x 512).
void transpose(const float* src, int64_t rows, int64_t cols, float* dst) {
  constexpr int64_t kTile = 16;
  for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
    const int64_t r1 = std::min(rows, r0 + kTile);
    for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
      const int64_t c1 = std::min(cols, c0 + kTile);
      for (int64_t c = c0; c < c1; ++c)
        for (int64_t r = r0; r < r1; ++r) dst[c * rows + r] = src[r * cols + c];
    }
  }
}

// dw [G, n] = dz^T [G, k] in [k, n]: a weight gradient summed over all (step, sample) rows. oneDNN
// runs a very narrow output markedly slower (25 vs 38 GFLOP/s for G = 2048, n = 50), so such a dw
// is computed as in^T dz and transposed.
// dz16: the same values in bf16, or null.
void weight_grad(const float* dz, const uint16_t* dz16, const float* in, int64_t G, int64_t n, int64_t k, float* dw,
                 Tensor& scratch) {
  kernels::Gemm g;
  g.trans_a = true;
  g.k = k;
  if (8 * n > G) {
    g.m = G, g.n = n;
    if (dz16)
      kernels::gemm(g, dz16, in, dw);
    else
      kernels::gemm(g, dz, in, dw);
    return;
  }
  scratch.resize({n, G});
  g.m = n, g.n = G;
  if (dz16)
    kernels::gemm(g, in, dz16, scratch.data());
  else
    kernels::gemm(g, in, dz, scratch.data());
  transpose(scratch.data(), n, G, dw);
}

// w [rows, cols] with orthonormal columns (rows >= cols) or rows, from the QR of a normal
// matrix with the signs fixed by diag(R), as Keras's Orthogonal initializer does.
void init_orthogonal(Tensor& w, Rng& rng) {
  const int64_t rows = w.dim(0), cols = w.dim(1);
  const int m = static_cast<int>(std::max(rows, cols)), n = static_cast<int>(std::min(rows, cols));
  std::vector<float> a(static_cast<size_t>(m) * n), tau(n);
  for (float& v : a) v = rng.normal();
  int info = 0, lwork = -1;
  float query = 0;
  sgeqrf_(&m, &n, a.data(), &m, tau.data(), &query, &lwork, &info);
  lwork = static_cast<int>(query);
  std::vector<float> work(std::max(1, lwork));
  sgeqrf_(&m, &n, a.data(), &m, tau.data(), work.data(), &lwork, &info);
  std::vector<float> sign(n);
  for (int j = 0; j < n; ++j) sign[j] = a[static_cast<size_t>(j) * m + j] < 0 ? -1.0f : 1.0f;
  sorgqr_(&m, &n, &n, a.data(), &m, tau.data(), work.data(), &lwork, &info);
  if (info != 0) throw std::runtime_error("lstm: orthogonal init failed (LAPACK info " + std::to_string(info) + ")");
  // a is column-major Q [m, n]; w is row-major [rows, cols], Q or Q^T.
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t i = rows >= cols ? r : c, j = rows >= cols ? c : r;
      w[r * cols + c] = a[static_cast<size_t>(j) * m + i] * sign[j];
    }
}

}  // namespace

Lstm::Lstm(int64_t units, bool return_sequences, bool reverse)
    : units_(units), return_sequences_(return_sequences), reverse_(reverse) {
  require(units > 0, "lstm: units must be positive, got " + std::to_string(units));
}

const config::Schema<Lstm::Options>& Lstm::schema() {
  static const auto s = config::Schema<Options>("lstm")
                            .one_of("type", &Options::type, {"lstm"})
                            .required("units", &Options::units, config::between(1, 1 << 16))
                            .key("return_sequences", &Options::return_sequences);
  return s;
}

nlohmann::json Lstm::config() const { return schema().write({"lstm", units_, return_sequences_}); }

Shape Lstm::build(const Shape& in) {
  require(in.size() == 2 && in[0] > 0 && in[1] > 0,
          "lstm: expects [time, features] samples, got " + aekit::to_string(in));
  in_shape_ = in;
  steps_ = in[0];
  in_ = in[1];
  const int64_t g = 4 * units_;
  w_ih_ = Tensor({g, in_});
  w_hh_ = Tensor({g, units_});
  b_ih_ = Tensor({g});
  b_hh_ = Tensor({g});
  dw_ih_.resize({g, in_});
  dw_hh_.resize({g, units_});
  db_ih_.resize({g});
  db_hh_.resize({g});
  out_shape_ = return_sequences_ ? Shape{steps_, units_} : Shape{units_};
  return out_shape_;
}

void Lstm::init(Rng& rng, Init scheme) {
  if (scheme == Init::pytorch) {
    const float k = 1.0f / std::sqrt(static_cast<float>(units_));
    for (Tensor* t : {&w_ih_, &w_hh_, &b_ih_, &b_hh_})
      for (float& v : *t) v = rng.uniform(-k, k);
    return;
  }
  init_weight(w_ih_, in_, 4 * units_, Init::keras, rng);
  init_orthogonal(w_hh_, rng);
  b_ih_.zero();
  b_hh_.zero();
  std::fill(b_ih_.begin() + units_, b_ih_.begin() + 2 * units_, 1.0f);
}

const Tensor& Lstm::forward(const Tensor& x, Mode) {
  require(x.rank() == 3 && x.dim(1) == steps_ && x.dim(2) == in_,
          "lstm: input " + aekit::to_string(x.shape()) + " does not match [batch, " +
              std::to_string(steps_) + ", " + std::to_string(in_) + "]");
  const int64_t B = x.dim(0), T = steps_, F = in_, H = units_, G = 4 * H;
  batch_ = B;
  // After RepeatVector every step of a sample is the same vector: it is projected once per sample
  // (T times less work for that matmul and for dW_ih) and the result reused at every step.
  repeated_ = T > 1 && constant_over_time(x);
  const int64_t Tx = repeated_ ? 1 : T;  // steps of x kept and projected
  // Time-major copy in processing order: each step's rows are then contiguous for the matmuls.
  xs_.resize({Tx, B, F});
  for (int64_t s = 0; s < Tx; ++s) {
    const int64_t t = reverse_ ? T - 1 - s : s;
    for (int64_t b = 0; b < B; ++b)
      std::memcpy(xs_.data() + (s * B + b) * F, x.data() + (b * T + t) * F, F * sizeof(float));
  }
  bias_.resize({G});
  for (int64_t j = 0; j < G; ++j) bias_[j] = b_ih_[j] + b_hh_[j];

  // Pre-activations of all steps: [T*B, F] x W_ih^T + bias.
  gates_.resize({T, B, G});
  kernels::Gemm proj;
  proj.trans_b = true;
  proj.m = Tx * B, proj.n = G, proj.k = F;
  proj.bias = bias_.data();
  kernels::gemm(proj, xs_.data(), w_ih_.data(), gates_.data());
  for (int64_t s = Tx; s < T; ++s) std::memcpy(gates_.data() + s * B * G, gates_.data(), B * G * sizeof(float));

  // Slot 0 of cells_/hs_ is the zero initial state; step s writes slot s + 1.
  cells_.resize({T + 1, B, H});
  hs_.resize({T + 1, B, H});
  std::fill_n(cells_.data(), B * H, 0.0f);
  std::fill_n(hs_.data(), B * H, 0.0f);
  kernels::Gemm rec;
  rec.trans_b = true;
  rec.m = B, rec.n = G, rec.k = H;
  rec.accumulate = true;
  rec.b_version = kernels::next_b_version();  // W_hh is the same at every step: converted once (bf16)
  for (int64_t s = 0; s < T; ++s) {
    float* gs = gates_.data() + s * B * G;
    if (s > 0) kernels::gemm(rec, hs_.data() + s * B * H, w_hh_.data(), gs);
    const float* c_prev = cells_.data() + s * B * H;
    float* c = cells_.data() + (s + 1) * B * H;
    float* h = hs_.data() + (s + 1) * B * H;
    kernels::parallel_for(B, rows_per_thread(G), [&](int64_t b0, int64_t b1, int) {
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t r = b * H;
        cell_forward(gs + b * G, c_prev + r, c + r, h + r, H);
      }
    });
  }

  if (!return_sequences_) {
    y_.resize({B, H});
    std::memcpy(y_.data(), hs_.data() + T * B * H, B * H * sizeof(float));
    return y_;
  }
  y_.resize({B, T, H});
  for (int64_t s = 0; s < T; ++s) {
    const int64_t t = reverse_ ? T - 1 - s : s;
    for (int64_t b = 0; b < B; ++b)
      std::memcpy(y_.data() + (b * T + t) * H, hs_.data() + ((s + 1) * B + b) * H, H * sizeof(float));
  }
  return y_;
}

const Tensor& Lstm::backward(const Tensor& dy, bool need_dx) {
  const int64_t B = batch_, T = steps_, F = in_, H = units_, G = 4 * H;
  require(dy.size() == B * numel(out_shape_), "lstm: gradient " + aekit::to_string(dy.shape()) +
                                                  " does not match the last output " +
                                                  aekit::to_string(y_.shape()));
  // d(loss)/d(pre-activation gates) overwrite the activated gates step by step: each value is
  // read just before its gradient is written to the same place, and nothing reads the gates after
  // backward. W7's BiLSTM(512) kept a second [50, 64, 2048] (26 MB) per direction without this.
  Tensor& dgates = gates_;
  dh_.resize({B, H});  // d(loss)/dh_s arriving through the recurrence from step s + 1
  dc_.resize({B, H});  // d(loss)/dc_s arriving from step s + 1
  zeros_.resize({H});
  dh_.zero();
  dc_.zero();
  zeros_.zero();
  tanh_rows_.resize({omp_get_max_threads(), H});  // one row of tanh(c_s) per thread
  // dh_{s-1} = dz_s W_hh runs about 1.4x faster with W_hh^T stored and transposed back by the
  // matmul (oneDNN's preferred B layout for this shape).
  w_hh_t_.resize({H, G});
  transpose(w_hh_.data(), G, H, w_hh_t_.data());
  kernels::Gemm rec;
  rec.trans_b = true;
  rec.m = B, rec.n = H, rec.k = G;
  rec.b_version = kernels::next_b_version();
  const bool bf16 = kernels::compute_precision() == kernels::Precision::bf16;
  if (bf16) dgates16_.resize(static_cast<size_t>(T * B * G));
  for (int64_t s = T - 1; s >= 0; --s) {
    const int64_t t = reverse_ ? T - 1 - s : s;
    // Where dy feeds h_s: every step with return_sequences, else only the last one.
    const float* dys = return_sequences_ ? dy.data() + t * H : (s == T - 1 ? dy.data() : nullptr);
    const int64_t dy_stride = return_sequences_ ? T * H : H;
    const float* gs = gates_.data() + s * B * G;
    const float* c_prev = cells_.data() + s * B * H;
    const float* c = cells_.data() + (s + 1) * B * H;
    float* dgs = dgates.data() + s * B * G;
    kernels::parallel_for(B, rows_per_thread(G), [&](int64_t b0, int64_t b1, int th) {
      float* tc = tanh_rows_.data() + th * H;
      for (int64_t b = b0; b < b1; ++b) {
        const float* z = gs + b * G;
        float* dz = dgs + b * G;
        float* dh = dh_.data() + b * H;
        float* dc = dc_.data() + b * H;
        const float* dyb = dys ? dys + b * dy_stride : zeros_.data();
        const int64_t r = b * H;
        cell_tanh_row(c + r, tc, H);
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          const float i = z[j], f = z[H + j], g = z[2 * H + j], o = z[3 * H + j], tj = tc[j];
          const float dhj = dh[j] + dyb[j];
          const float dcj = dhj * o * (1.0f - tj * tj) + dc[j];
          dz[j] = dcj * g * i * (1.0f - i);
          dz[H + j] = dcj * c_prev[r + j] * f * (1.0f - f);
          dz[2 * H + j] = dcj * i * (1.0f - g * g);
          dz[3 * H + j] = dhj * tj * o * (1.0f - o);
          dc[j] = dcj * f;
        }
        if (bf16)  // while the row is in cache (G is even: whole pairs)
          kernels::pack_bf16_pairs(dz, G, reinterpret_cast<uint32_t*>(dgates16_.data() + (s * B + b) * G));
      }
    });
    // dh_{s-1} = dz_s W_hh
    if (s > 0) {
      if (bf16)
        kernels::gemm(rec, dgates16_.data() + s * B * G, w_hh_t_.data(), dh_.data());
      else
        kernels::gemm(rec, dgs, w_hh_t_.data(), dh_.data());
    }
  }
  const uint16_t* dgates16 = bf16 ? dgates16_.data() : nullptr;

  // Gate gradients summed over the steps: dW_ih of a repeated input, dx summed over the steps.
  if (repeated_ || (sum_dx_ && need_dx)) {
    dz_sum_.resize({B, G});
    std::memcpy(dz_sum_.data(), dgates.data(), B * G * sizeof(float));
    for (int64_t s = 1; s < T; ++s) {
      const float* dz = dgates.data() + s * B * G;
#pragma omp simd
      for (int64_t i = 0; i < B * G; ++i) dz_sum_[i] += dz[i];
    }
  }
  // Parameter gradients over all steps at once: rows of dgates are the (step, sample) pairs.
  if (repeated_) {
    // sum_s dz_s^T x = (sum_s dz_s)^T x when x is the same at every step.
    weight_grad(dz_sum_.data(), nullptr, xs_.data(), G, F, B, dw_ih_.data(), scratch_);
  } else {
    weight_grad(dgates.data(), dgates16, xs_.data(), G, F, T * B, dw_ih_.data(), scratch_);
  }
  // h_{s-1} for s = 0..T-1 is hs_ slots 0..T-1 (slot 0 is the zero state).
  weight_grad(dgates.data(), dgates16, hs_.data(), G, H, T * B, dw_hh_.data(), scratch_);
  const int nt = omp_get_max_threads();
  partial_.resize({nt, G});
  partial_.zero();
  kernels::parallel_for(T * B, rows_per_thread(G), [&](int64_t r0, int64_t r1, int th) {
    float* acc = partial_.data() + th * G;
    for (int64_t r = r0; r < r1; ++r) {
      const float* dz = dgates.data() + r * G;
#pragma omp simd
      for (int64_t j = 0; j < G; ++j) acc[j] += dz[j];
    }
  });
  for (int64_t j = 0; j < G; ++j) {
    float sum = 0;
    for (int th = 0; th < nt; ++th) sum += partial_[th * G + j];
    db_ih_[j] = db_hh_[j] = sum;
  }

  if (!need_dx) return empty_;
  if (sum_dx_) {
    // sum_t dz_t W_ih: what RepeatVector's backward would sum from the [B, T, F] gradient.
    dx_.resize({B, F});
    kernels::Gemm gx;
    gx.m = B, gx.n = F, gx.k = G;
    kernels::gemm(gx, dz_sum_.data(), w_ih_.data(), dx_.data());
    return dx_;
  }
  dxs_.resize({T, B, F});
  kernels::Gemm gx;
  gx.m = T * B, gx.n = F, gx.k = G;
  if (dgates16)
    kernels::gemm(gx, dgates16, w_ih_.data(), dxs_.data());
  else
    kernels::gemm(gx, dgates.data(), w_ih_.data(), dxs_.data());
  dx_.resize({B, T, F});
  for (int64_t s = 0; s < T; ++s) {
    const int64_t t = reverse_ ? T - 1 - s : s;
    for (int64_t b = 0; b < B; ++b)
      std::memcpy(dx_.data() + (b * T + t) * F, dxs_.data() + (s * B + b) * F, F * sizeof(float));
  }
  return dx_;
}

std::vector<Param> Lstm::params() {
  return {{"weight_ih_l0", &w_ih_, &dw_ih_},
          {"weight_hh_l0", &w_hh_, &dw_hh_},
          {"bias_ih_l0", &b_ih_, &db_ih_},
          {"bias_hh_l0", &b_hh_, &db_hh_}};
}

}  // namespace aekit::nn
