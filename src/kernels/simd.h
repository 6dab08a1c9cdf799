// One vector register of floats for the hand-written kernels (conv_direct, gemv, the pooling and
// upsampling layers' vector paths): 16 lanes with
// AVX-512 (Zen 5 and recent Xeons run two 512-bit FMAs per cycle, so 8-lane code left half the
// machine idle), else 8 (AVX; two SSE registers without it). GCC/Clang map the type to one
// register either way. Loads and stores are unaligned (memcpy compiles to one vmovups).
#pragma once
#include <cstdint>
#include <cstring>
#include <utility>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace aekit::kernels::simd {

#ifdef __AVX512F__
constexpr int kLanes = 16;
#else
constexpr int kLanes = 8;
#endif
typedef float vf __attribute__((vector_size(kLanes * sizeof(float))));
typedef int32_t vi __attribute__((vector_size(kLanes * sizeof(int32_t))));  // comparisons, indices

inline vf load(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vf v) { std::memcpy(p, &v, sizeof v); }
inline vf splat(float w) { return vf{} + w; }

// Masked loads and stores: lanes outside the mask read as zero and are never touched (no fault
// either), so a vector may start before or run past the end of a row without copying the row
// into a padded buffer first. The direct convolution reads every kernel tap this way.
#ifdef __AVX512F__
using mask = __mmask16;
// Lanes [lo, hi), clamped to the vector.
inline mask lanes(int lo, int hi) {
  lo = lo < 0 ? 0 : lo, hi = hi > kLanes ? kLanes : hi;
  return lo >= hi ? 0 : static_cast<mask>(((1u << hi) - 1) & ~((1u << lo) - 1));
}
inline vf load(const float* p, mask m) { return reinterpret_cast<vf>(_mm512_maskz_loadu_ps(m, p)); }
inline void store(float* p, vf v, mask m) { _mm512_mask_storeu_ps(p, m, reinterpret_cast<__m512>(v)); }
#elif defined(__AVX2__)
struct mask {
  __m256i on;  // all ones in the lanes to touch
};
inline mask lanes(int lo, int hi) {
  const __m256i i = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return {_mm256_and_si256(_mm256_cmpgt_epi32(i, _mm256_set1_epi32(lo - 1)), _mm256_cmpgt_epi32(_mm256_set1_epi32(hi), i))};
}
inline vf load(const float* p, mask m) { return reinterpret_cast<vf>(_mm256_maskload_ps(p, m.on)); }
inline void store(float* p, vf v, mask m) { _mm256_maskstore_ps(p, m.on, reinterpret_cast<__m256>(v)); }
#else
struct mask {
  int lo = 0, hi = 0;
};
inline mask lanes(int lo, int hi) { return {lo < 0 ? 0 : lo, hi > kLanes ? kLanes : hi}; }
inline vf load(const float* p, mask m) {
  vf v{};
  for (int i = m.lo; i < m.hi; ++i) v[i] = p[i];
  return v;
}
inline void store(float* p, vf v, mask m) {
  for (int i = m.lo; i < m.hi; ++i) p[i] = v[i];
}
#endif

// Asks for the n floats from p to be brought into cache (prefetch_for_write: to be written). The
// masked loads and stores above do not train the hardware prefetchers (measured on Zen 5: a
// vectorised upsampling was 5-8 % slower than the scalar loop it replaced until it asked for its
// rows ahead), so kernels built on them ask for what they read or write next.
inline void prefetch(const float* p, int64_t n) {
  for (int64_t i = 0; i < n; i += 64 / sizeof(float)) __builtin_prefetch(p + i);
}
inline void prefetch_for_write(float* p, int64_t n) {
  for (int64_t i = 0; i < n; i += 64 / sizeof(float)) __builtin_prefetch(p + i, 1);
}

// (a0, b0, a1, b1, ...) over 2 * kLanes lanes, returned as its low and high vectors.
namespace detail {
template <int... I>
inline void interleave(vf a, vf b, vf& lo, vf& hi, std::integer_sequence<int, I...>) {
  lo = __builtin_shufflevector(a, b, ((I % 2) ? kLanes + I / 2 : I / 2)...);
  hi = __builtin_shufflevector(a, b, ((I % 2) ? kLanes + kLanes / 2 + I / 2 : kLanes / 2 + I / 2)...);
}
}  // namespace detail
inline void interleave(vf a, vf b, vf& lo, vf& hi) {
  detail::interleave(a, b, lo, hi, std::make_integer_sequence<int, kLanes>());
}

// Sum of the lanes. With AVX-512 a shuffle tree, not a 16-long chain of dependent scalar adds:
// where there is one sum per output (a GEMV) the chain's latency would cost as much as the dot
// product itself.
inline float hsum(vf v) {
#ifdef __AVX512F__
  // (_mm512_reduce_add_ps does the same but trips a false GCC 12 -Wmaybe-uninitialized.)
  typedef float v8 __attribute__((vector_size(32)));
  typedef float v4 __attribute__((vector_size(16)));
  const v8 h = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
               __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  const v4 q = __builtin_shufflevector(h, h, 0, 1, 2, 3) + __builtin_shufflevector(h, h, 4, 5, 6, 7);
  return (q[0] + q[2]) + (q[1] + q[3]);
#else
  float s = 0;
  for (int i = 0; i < kLanes; ++i) s += v[i];
  return s;
#endif
}

}  // namespace aekit::kernels::simd
