#include "kernels/bf16_array.h"

#include <algorithm>
#include <cstring>

#include "kernels/packed_gemv_bf16.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace aekit::kernels {
namespace {
// 16 lanes through the compiler's vector extensions: AVX-512 or two AVX2 halves, no intrinsics.
constexpr int kConvertLanes = 16;
typedef Bf16Lanes vu;
typedef uint16_t vh __attribute__((vector_size(kConvertLanes * sizeof(uint16_t))));
}  // namespace

void to_bf16(const float* x, int64_t n, uint16_t* y) {
  int64_t i = 0;
  for (; i + kConvertLanes <= n; i += kConvertLanes) {
    vu u;
    std::memcpy(&u, x + i, sizeof u);
    round_to_bf16(u);
    const vh h = __builtin_convertvector(u, vh);
    std::memcpy(y + i, &h, sizeof h);
  }
  for (; i < n; ++i) y[i] = to_bf16(x[i]);
}

void from_bf16(const uint16_t* x, int64_t n, float* y) {
  int64_t i = 0;
  for (; i + kConvertLanes <= n; i += kConvertLanes) {
    vh h;
    std::memcpy(&h, x + i, sizeof h);
    const vu u = __builtin_convertvector(h, vu) << 16;
    std::memcpy(y + i, &u, sizeof u);
  }
  for (; i < n; ++i) y[i] = from_bf16(x[i]);
}

// Both through fp32 chunks on the stack and whole vectors (chunks are multiples of any lane
// count; a scalar select loop here compiled to branches, 10 % of a bf16 W4 epoch).
namespace {
constexpr int64_t kChunk = 256;
inline void select_chunk(const float* y, const float* d, float slope, float* g) {
  using namespace simd;
  // simd's width (8 lanes in an AVX2 build), not the conversions' 16
  for (int64_t j = 0; j < kChunk; j += simd::kLanes) {
    const vf dv = load(d + j);
    store(g + j, load(y + j) > 0.0f ? dv : slope * dv);
  }
}
}  // namespace

void leaky_grad_bf16(const uint16_t* y, const uint16_t* dy, float slope, float* g, int64_t n) {
  parallel_for(n, 16384, [&, slope](int64_t b, int64_t e, int) {
    // initialised: a short last chunk reads values past its end, never stores them
    alignas(64) float yf[kChunk] = {}, df[kChunk] = {}, gf[kChunk];
    for (int64_t i = b; i < e; i += kChunk) {
      const int64_t m = std::min(kChunk, e - i);
      from_bf16(y + i, m, yf);
      from_bf16(dy + i, m, df);
      select_chunk(yf, df, slope, m == kChunk ? g + i : gf);
      if (m < kChunk) std::copy(gf, gf + m, g + i);
    }
  });
}

void leaky_grad_bf16_inplace(const uint16_t* x, uint16_t* d, float slope, int64_t n) {
  parallel_for(n, 16384, [&, slope](int64_t b, int64_t e, int) {
    alignas(64) float xf[kChunk] = {}, df[kChunk] = {};
    for (int64_t i = b; i < e; i += kChunk) {
      const int64_t m = std::min(kChunk, e - i);
      from_bf16(x + i, m, xf);
      from_bf16(d + i, m, df);
      select_chunk(xf, df, slope, df);  // values past m are never stored
      to_bf16(df, m, d + i);
    }
  });
}

}  // namespace aekit::kernels
