#include "kernels/blocked.h"

#include <cstring>

// The 64-byte vector helpers below are internal and inlined; without AVX-512 GCC warns that
// returning such a vector would change the ABI, which never matters here.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace aekit::kernels {
namespace {

// Sixteen floats. Written with vector extensions rather than AVX-512 intrinsics (GCC 12 warns
// falsely inside _mm512_unpacklo_ps and friends); each shuffle below is one instruction there.
typedef float v16 __attribute__((vector_size(64)));

inline v16 load16(const float* p) {
  v16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store16(float* p, v16 v) { std::memcpy(p, &v, sizeof v); }

// r[i][j] -> r[j][i] for a 16 x 16 tile held in 16 vectors: interleave pairs of rows within
// 128-bit lanes (unpcklps / unpckhps), then pairs of pairs (shufps), then 128-bit lanes twice
// (shuff32x4).
inline void transpose16(v16 r[16]) {
  v16 t[16], u[16];
  for (int i = 0; i < 8; ++i) {
    const v16 a = r[2 * i], b = r[2 * i + 1];
    t[2 * i] = __builtin_shufflevector(a, b, 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    t[2 * i + 1] = __builtin_shufflevector(a, b, 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
  }
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 2; ++k) {
      const v16 a = t[4 * i + k], b = t[4 * i + k + 2];
      u[4 * i + 2 * k] = __builtin_shufflevector(a, b, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
      u[4 * i + 2 * k + 1] = __builtin_shufflevector(a, b, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    }
  auto even_lanes = [](v16 a, v16 b) {
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  };
  auto odd_lanes = [](v16 a, v16 b) {
    return __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
  };
  for (int i = 0; i < 4; ++i) {
    t[i] = even_lanes(u[i], u[4 + i]);
    t[4 + i] = odd_lanes(u[i], u[4 + i]);
    t[8 + i] = even_lanes(u[8 + i], u[12 + i]);
    t[12 + i] = odd_lanes(u[8 + i], u[12 + i]);
  }
  for (int i = 0; i < 8; ++i) {
    r[i] = even_lanes(t[i], t[8 + i]);
    r[8 + i] = odd_lanes(t[i], t[8 + i]);
  }
}

}  // namespace

void unblock_group(const float* blocked, int64_t hw, float* planes) {
  int64_t p = 0;
  for (; p + 16 <= hw; p += 16) {
    v16 r[16];
    for (int i = 0; i < 16; ++i) r[i] = load16(blocked + (p + i) * kChannelBlock);
    transpose16(r);
    for (int c = 0; c < 16; ++c) store16(planes + c * hw + p, r[c]);
  }
  for (; p < hw; ++p)
    for (int64_t c = 0; c < kChannelBlock; ++c) planes[c * hw + p] = blocked[p * kChannelBlock + c];
}

void block_group(const float* planes, int64_t hw, float* blocked) {
  int64_t p = 0;
  for (; p + 16 <= hw; p += 16) {
    v16 r[16];
    for (int c = 0; c < 16; ++c) r[c] = load16(planes + c * hw + p);
    transpose16(r);
    for (int i = 0; i < 16; ++i) store16(blocked + (p + i) * kChannelBlock, r[i]);
  }
  for (; p < hw; ++p)
    for (int64_t c = 0; c < kChannelBlock; ++c) blocked[p * kChannelBlock + c] = planes[c * hw + p];
}

}  // namespace aekit::kernels
