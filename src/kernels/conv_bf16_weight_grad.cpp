#include "kernels/conv_bf16_weight_grad.h"

#include <immintrin.h>

#include <omp.h>

#include <algorithm>

#include "kernels/bf16_array.h"
#include "kernels/blocked.h"
#include "kernels/parallel.h"
#include "kernels/precision.h"

namespace aekit::kernels {

namespace {

constexpr int64_t G = kChannelBlock;
constexpr int kRows = 8;     // rows of R per tile
constexpr int kVectors = 3;  // vectors (16 channels of S at one tap) per tile: 24 sums in registers
// Pairs of samples per run: S's and R's packed pairs together within about a quarter of Zen 5's
// 1 MB L2, so each tile's pass over them after the first comes from cache.
constexpr int64_t kRunBytes = 256 * 1024;

// 16 values of a side at `p` (fp32 or bf16) as bf16 in the low half of 16 dwords, rounded by
// bf16_array.h's round_to_bf16. Vector-extension operations rather than shift / widen intrinsics,
// which GCC 12 starts from an undefined vector and warns about (-Wmaybe-uninitialized).
__attribute__((target("avx512f"))) inline Bf16Lanes bf16_bits(const void* p, bool bf16) {
  if (bf16) return (Bf16Lanes)_mm512_maskz_cvtepu16_epi32(0xffff, _mm256_loadu_si256(static_cast<const __m256i*>(p)));
  Bf16Lanes u = (Bf16Lanes)_mm512_loadu_ps(static_cast<const float*>(p));
  round_to_bf16(u);
  return u;
}

// The pair (a[l], b[l]) of each of 16 channels as one dword, a in the lower half (vdpbf16ps's
// element 2l), b in the upper; b null (an odd batch's last pair) is zeros.
__attribute__((target("avx512f"))) inline __m512i pair16(const void* a, const void* b, bool bf16) {
  const Bf16Lanes lo = bf16_bits(a, bf16);
  return (__m512i)(b ? lo | bf16_bits(b, bf16) << 16 : lo);
}

// 16 values as fp32, exactly as they arrive.
__attribute__((target("avx512f"))) inline __m512 load_fp32(const void* p, bool bf16) {
  if (!bf16) return _mm512_loadu_ps(static_cast<const float*>(p));
  return (__m512)(bf16_bits(p, true) << 16);
}

const void* at(const void* base, bool bf16, int64_t element) {
  return bf16 ? static_cast<const void*>(static_cast<const uint16_t*>(base) + element)
              : static_cast<const void*>(static_cast<const float*>(base) + element);
}

// One tile: rows [r0, r0 + 8) of R against V vectors of S (offsets `col` into a pair's packed S),
// over `pairs` pairs; the sums are read from and written back to d ([row][vector][16], row stride
// d_row floats).
struct TileArgs {
  const uint32_t* s;  // the run's first pair of packed S
  const uint32_t* r;  // the run's first pair of packed R, at row r0
  int64_t s_pair, r_pair, pairs;
  int64_t rows, rh, rw, wp;
  const int64_t* col;
  float* d;
  int64_t d_row;
};

template <int V>
__attribute__((target("avx512f,avx512bf16"))) void tile(const TileArgs& t) {
  __m512 acc[kRows][V];
  for (int m = 0; m < kRows; ++m)
    for (int v = 0; v < V; ++v) acc[m][v] = _mm512_loadu_ps(t.d + m * t.d_row + v * G);
  for (int64_t q = 0; q < t.pairs; ++q) {
    const uint32_t* sq = t.s + q * t.s_pair;
    const uint32_t* rq = t.r + q * t.r_pair;
    for (int64_t i = 0; i < t.rh; ++i) {
      const uint32_t* srow = sq + i * t.wp * G;
      const uint32_t* rrow = rq + i * t.rw * t.rows;
      for (int64_t j = 0; j < t.rw; ++j) {
        __m512bh b[V];
        for (int v = 0; v < V; ++v) b[v] = (__m512bh)_mm512_loadu_si512(srow + t.col[v] + j * G);
        const uint32_t* a = rrow + j * t.rows;
        for (int m = 0; m < kRows; ++m) {
          const __m512bh am = (__m512bh)_mm512_set1_epi32(static_cast<int>(a[m]));
          for (int v = 0; v < V; ++v) acc[m][v] = _mm512_dpbf16_ps(acc[m][v], am, b[v]);
        }
      }
    }
  }
  for (int m = 0; m < kRows; ++m)
    for (int v = 0; v < V; ++v) _mm512_storeu_ps(t.d + m * t.d_row + v * G, acc[m][v]);
}

using TileFn = void (*)(const TileArgs&);
constexpr TileFn kTiles[kVectors] = {&tile<1>, &tile<2>, &tile<3>};

}  // namespace

bool bf16_kernel_weight_grad_suits(const ConvSpec& s) {
  // cpu_has_bf16(): oneDNN's AVX512_CORE_BF16 (or AMX) level, which includes vdpbf16ps
  return s.sh == 1 && s.sw == 1 && s.blocked_x && s.blocked_y && bf16_weight_grad(s) && cpu_has_bf16();
}

Bf16WeightGrad::Bf16WeightGrad(const ConvSpec& s, int64_t batch) : spec_(s), batch_(batch), pairs_((batch + 1) / 2) {
  rows_ = s.transposed ? s.c : s.f, groups_ = (s.transposed ? s.f : s.c) / G;
  rh_ = s.transposed ? s.h : s.out_h(), rw_ = s.transposed ? s.w : s.out_w();
  hp_ = rh_ + s.kh - 1, wp_ = rw_ + s.kw - 1;
  s_pair_ = groups_ * hp_ * wp_ * G, r_pair_ = rh_ * rw_ * rows_;
  run_ = std::max<int64_t>(1, kRunBytes / static_cast<int64_t>((s_pair_ + r_pair_) * sizeof(uint32_t)));
  const int64_t taps = s.kh * s.kw;
  col_.resize(groups_ * taps);  // vector c = group * taps + tap: its offset in a pair's packed S
  for (int64_t g = 0; g < groups_; ++g)
    for (int64_t kh = 0; kh < s.kh; ++kh)
      for (int64_t kw = 0; kw < s.kw; ++kw) col_[g * taps + kh * s.kw + kw] = (g * hp_ * wp_ + kh * wp_ + kw) * G;
  // a plan serves one thread count (conv.h), so the per-thread buffers are made once here
  scratch_.resize(static_cast<size_t>(omp_get_max_threads()));
  for (Scratch& t : scratch_) {
    t.s.resize(run_ * s_pair_);
    t.r.resize(run_ * r_pair_);
    t.d.resize(rows_ * groups_ * taps * G);
  }
  pair_sums_.resize(pairs_ * rows_);
}

__attribute__((target("avx512f"))) void Bf16WeightGrad::pack_windows(const Side& s, int64_t q0, int64_t q1, uint32_t* out) const {
  const int64_t hw = s.h * s.w;
  for (int64_t q = q0; q < q1; ++q) {
    const bool has_b = 2 * q + 1 < batch_;
    for (int64_t g = 0; g < groups_; ++g) {
      const int64_t a0 = (2 * q * groups_ + g) * hw * G, b0 = a0 + groups_ * hw * G;  // samples 2q, 2q + 1
      for (int64_t ip = 0; ip < hp_; ++ip)
        for (int64_t jp = 0; jp < wp_; ++jp, out += G) {
          const int64_t y = ip - spec_.pt, x = jp - spec_.pl;
          if (y < 0 || y >= s.h || x < 0 || x >= s.w) {
            _mm512_storeu_si512(out, _mm512_setzero_si512());
            continue;
          }
          const int64_t cell = (y * s.w + x) * G;
          _mm512_storeu_si512(out, pair16(at(s.p, s.bf16, a0 + cell), has_b ? at(s.p, s.bf16, b0 + cell) : nullptr, s.bf16));
        }
    }
  }
}

__attribute__((target("avx512f"))) void Bf16WeightGrad::pack_rows(const Side& r, int64_t q0, int64_t q1, uint32_t* out, bool sum) {
  const int64_t groups = r.c / G, cells = r.h * r.w;
  for (int64_t q = q0; q < q1; ++q) {
    const bool has_b = 2 * q + 1 < batch_;
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t a0 = (2 * q * groups + g) * cells * G, b0 = a0 + groups * cells * G;
      uint32_t* o = out + (q - q0) * cells * r.c + g * G;
      __m512 total = _mm512_setzero_ps();
      for (int64_t p = 0; p < cells; ++p, o += r.c) {
        const void* a = at(r.p, r.bf16, a0 + p * G);
        const void* b = has_b ? at(r.p, r.bf16, b0 + p * G) : nullptr;
        _mm512_storeu_si512(o, pair16(a, b, r.bf16));
        if (sum) total = _mm512_add_ps(total, b ? _mm512_add_ps(load_fp32(a, r.bf16), load_fp32(b, r.bf16)) : load_fp32(a, r.bf16));
      }
      if (sum) _mm512_storeu_ps(&pair_sums_[q * r.c + g * G], total);
    }
  }
}

void Bf16WeightGrad::products(Scratch& t, int64_t pairs) const {
  const int64_t cols = static_cast<int64_t>(col_.size());
  const int64_t col_tiles = (cols + kVectors - 1) / kVectors, tiles = rows_ / kRows * col_tiles;
  for (int64_t k = 0; k < tiles; ++k) {
    const int64_t r0 = k / col_tiles * kRows, c0 = k % col_tiles * kVectors, v = std::min<int64_t>(kVectors, cols - c0);
    const TileArgs a{t.s.data(), t.r.data() + r0, s_pair_, r_pair_, pairs, rows_, rh_, rw_, wp_,
                     col_.data() + c0, t.d.data() + (r0 * cols + c0) * G, cols * G};
    kTiles[v - 1](a);
  }
}

void Bf16WeightGrad::run(const void* x, const void* g, float* dw, float* db) {
  const ConvSpec& s = spec_;
  const Side xs{x, s.c, s.h, s.w, s.bf16_x}, gs{g, s.f, s.out_h(), s.out_w(), s.bf16_y};
  const Side& r = s.transposed ? xs : gs;  // the convolution form's output side
  const Side& w = s.transposed ? gs : xs;
  // Each thread takes a contiguous share of the pairs and packs each run of them just before its
  // products, so they are read from its own L2 (a split of the tiles instead, over pairs packed by
  // both threads, reached 1.46x of one thread on W5's 64 -> 64 layer).
  int used = 1;
  parallel_threads(pairs_, 1, [&](int t, int T) {
    if (t == 0) used = T;
    Scratch& sc = scratch_[static_cast<size_t>(t)];
    std::fill(sc.d.begin(), sc.d.end(), 0.0f);
    const int64_t q0 = pairs_ * t / T, q1 = pairs_ * (t + 1) / T;
    for (int64_t a = q0; a < q1; a += run_) {
      const int64_t b = std::min(a + run_, q1);
      pack_windows(w, a, b, sc.s.data());
      pack_rows(r, a, b, sc.r.data(), db != nullptr);
      products(sc, b - a);
    }
  });
  const int64_t taps = s.kh * s.kw, cols = groups_ * taps;
  for (int64_t a = 0; a < r.c; ++a)  // the threads' [r][group * taps + tap][16], summed in thread order -> dw [r][s][tap]
    for (int64_t c = 0; c < w.c; ++c)
      for (int64_t t = 0; t < taps; ++t) {
        const int64_t at_d = (a * cols + c / G * taps + t) * G + c % G;
        float sum = scratch_[0].d[at_d];
        for (int u = 1; u < used; ++u) sum += scratch_[static_cast<size_t>(u)].d[at_d];
        dw[(a * w.c + c) * taps + t] = sum;
      }
  if (db) {
    std::fill(db, db + r.c, 0.0f);
    for (int64_t q = 0; q < pairs_; ++q)
      for (int64_t a = 0; a < r.c; ++a) db[a] += pair_sums_[q * r.c + a];
  }
}

}  // namespace aekit::kernels
