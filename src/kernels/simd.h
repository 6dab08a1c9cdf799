// One vector register of floats for the hand-written kernels (conv_direct, gemv): 16 lanes with
// AVX-512 (Zen 5 and recent Xeons run two 512-bit FMAs per cycle, so 8-lane code left half the
// machine idle), else 8 (AVX; two SSE registers without it). GCC/Clang map the type to one
// register either way. Loads and stores are unaligned (memcpy compiles to one vmovups).
#pragma once
#include <cstring>

namespace aekit::kernels::simd {

#ifdef __AVX512F__
constexpr int kLanes = 16;
#else
constexpr int kLanes = 8;
#endif
typedef float vf __attribute__((vector_size(kLanes * sizeof(float))));

inline vf load(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vf v) { std::memcpy(p, &v, sizeof v); }
inline vf splat(float w) { return vf{} + w; }

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
