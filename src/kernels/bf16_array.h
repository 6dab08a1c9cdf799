// Arrays of floats to bf16 and back: activations that two layers exchange in bf16 under a bf16
// compute precision (fusable.h's set_bf16) are converted here, a group of channels at a time in
// cache. Rounding as packed_gemv_bf16.h's to_bf16: to nearest even, NaN kept (quiet), infinities
// kept, denormals kept (not flushed).
#pragma once
#include <cstdint>

namespace aekit::kernels {

void to_bf16(const float* x, int64_t n, uint16_t* y);
void from_bf16(const uint16_t* x, int64_t n, float* y);

// 16 lanes of 32 bits through the compiler's vector extensions (AVX-512, or two AVX2 halves).
typedef uint32_t Bf16Lanes __attribute__((vector_size(16 * sizeof(uint32_t))));
// Replaces fp32 bit patterns by their bf16 in the low 16 bits of each lane: the one rounding of
// every vector conversion here (to_bf16 above, the weight-gradient kernel's packing). By reference:
// a 64-byte vector passed by value changes the ABI in builds without AVX-512 (-Wpsabi).
inline void round_to_bf16(Bf16Lanes& u) {
  const Bf16Lanes nan = (u & 0x7fffffffu) > 0x7f800000u;  // all ones where NaN
  u = nan ? ((u >> 16) | 0x40u) : (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
}

// The relu / leaky_relu derivative applied to a bf16 gradient (fusable.h's hand-over on a bf16
// boundary), split over threads: g = (y > 0 ? 1 : slope) * dy into fp32 g, or in place, d =
// bf16((x > 0 ? 1 : slope) * d) (exact for relu's slope 0).
void leaky_grad_bf16(const uint16_t* y, const uint16_t* dy, float slope, float* g, int64_t n);
void leaky_grad_bf16_inplace(const uint16_t* x, uint16_t* d, float slope, int64_t n);

}  // namespace aekit::kernels
