#include "kernels/packed_gemv_bf16.h"

#include <immintrin.h>

#include <array>
#include <cstring>
#include <utility>

#include "kernels/bf16_array.h"

namespace aekit::kernels {

uint16_t to_bf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

float from_bf16(uint16_t b) {
  const uint32_t u = static_cast<uint32_t>(b) << 16;
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

// The array conversion (bf16_array.h: to_bf16's rounding on whole vectors): a batch-1 encode
// converts its 784 + 400 inputs on every call, which done one at a time cost more than the bf16
// products saved (W8 3.9 us against 2.9 us in fp32).
void pack_bf16_pairs(const float* x, int64_t k, uint32_t* pairs) {
  auto* out = reinterpret_cast<uint16_t*>(pairs);  // little-endian: word p = element 2p | element 2p+1 << 16
  to_bf16(x, k, out);
  if (k % 2) out[k] = 0;  // an odd k's last pair has a zero high half
}

__attribute__((target("avx512f"))) int64_t nonzero_pairs(const uint32_t* pairs, int64_t count, int32_t* idx) {
  int64_t n = 0;
  __m512i ids = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (int64_t p = 0; p < count; p += 16) {
    const __mmask16 valid = count - p >= 16 ? 0xffff : static_cast<__mmask16>((1u << (count - p)) - 1);
    const __mmask16 m = _mm512_test_epi32_mask(_mm512_maskz_loadu_epi32(valid, pairs + p), _mm512_set1_epi32(-1));
    _mm512_mask_compressstoreu_epi32(idx + n, m, ids);
    n += __builtin_popcount(m);
    ids = _mm512_add_epi32(ids, _mm512_set1_epi32(16));
  }
  return n;
}

namespace {

// As kernels/packed_gemv.cpp's fp32 block: a narrow block keeps U sets of sums so that its few
// chains of dependent vdpbf16ps do not wait on latency.
template <int V, Fused Act, bool Sparse>
__attribute__((target("avx512f,avx512bf16"))) void bf16_block(const uint32_t* w, const float* bias,
                                                              const uint32_t* x, const int32_t* idx,
                                                              int64_t count, float* y, int64_t n, float alpha) {
  constexpr int64_t row = V * kBf16Lanes;
  constexpr int U = V >= 8 ? 1 : V >= 4 ? 2 : 4;
  __m512 acc[U][V];
  for (int u = 0; u < U; ++u)
    for (int v = 0; v < V; ++v) acc[u][v] = u == 0 ? _mm512_load_ps(bias + v * kBf16Lanes) : _mm512_setzero_ps();
  int64_t j = 0;
  for (; j + U <= count; j += U) {
    for (int u = 0; u < U; ++u) {
      const int64_t p = Sparse ? idx[j + u] : j + u;
      const __m512bh xp = (__m512bh)_mm512_set1_epi32(static_cast<int>(x[p]));
      const uint32_t* wp = w + p * row;
      for (int v = 0; v < V; ++v)
        acc[u][v] = _mm512_dpbf16_ps(acc[u][v], (__m512bh)_mm512_load_si512(wp + v * kBf16Lanes), xp);
    }
  }
  for (; j < count; ++j) {
    const int64_t p = Sparse ? idx[j] : j;
    const __m512bh xp = (__m512bh)_mm512_set1_epi32(static_cast<int>(x[p]));
    const uint32_t* wp = w + p * row;
    for (int v = 0; v < V; ++v)
      acc[0][v] = _mm512_dpbf16_ps(acc[0][v], (__m512bh)_mm512_load_si512(wp + v * kBf16Lanes), xp);
  }
  const __m512 zero = _mm512_setzero_ps();
  for (int v = 0; v < V; ++v) {
    __m512 s = acc[0][v];
    for (int u = 1; u < U; ++u) s = _mm512_add_ps(s, acc[u][v]);
    // s <= 0 is false for NaN, so NaN is kept (as PyTorch's relu keeps it).
    const __mmask16 neg = _mm512_cmp_ps_mask(s, zero, _CMP_LE_OQ);
    if constexpr (Act == Fused::relu) s = _mm512_mask_mov_ps(s, neg, zero);
    if constexpr (Act == Fused::leaky_relu) s = _mm512_mask_mul_ps(s, neg, s, _mm512_set1_ps(alpha));
    const int64_t c0 = v * kBf16Lanes;
    const __mmask16 keep =
        c0 + kBf16Lanes <= n ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - c0)) - 1);
    _mm512_mask_storeu_ps(y + c0, keep, s);
  }
}

template <Fused Act, bool Sparse, int... V>
constexpr std::array<Bf16BlockFn, sizeof...(V)> table(std::integer_sequence<int, V...>) {
  return {&bf16_block<V + 1, Act, Sparse>...};
}
template <bool Sparse>
constexpr std::array<std::array<Bf16BlockFn, kBf16MaxVectors>, 3> tables() {
  constexpr auto v = std::make_integer_sequence<int, kBf16MaxVectors>();
  return {table<Fused::none, Sparse>(v), table<Fused::relu, Sparse>(v), table<Fused::leaky_relu, Sparse>(v)};
}
constexpr auto kSparse = tables<true>();
constexpr auto kDense = tables<false>();

}  // namespace

Bf16BlockFn bf16_block_fn(Fused act, bool sparse, int vectors) {
  const int which = act == Fused::none ? 0 : act == Fused::relu ? 1 : act == Fused::leaky_relu ? 2 : -1;
  if (which < 0 || vectors < 1 || vectors > kBf16MaxVectors) return nullptr;
  return (sparse ? kSparse : kDense)[which][vectors - 1];
}

}  // namespace aekit::kernels
