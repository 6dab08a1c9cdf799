// Arrays of floats to bf16 and back: activations that two layers exchange in bf16 under a bf16
// compute precision (fusable.h's set_bf16) are converted here, a group of channels at a time in
// cache. Rounding as packed_gemv_bf16.h's to_bf16: to nearest even, NaN kept (quiet), infinities
// kept, denormals kept (not flushed).
#pragma once
#include <cstdint>

namespace aekit::kernels {

void to_bf16(const float* x, int64_t n, uint16_t* y);
void from_bf16(const uint16_t* x, int64_t n, float* y);

// The relu / leaky_relu derivative applied to a bf16 gradient (fusable.h's hand-over on a bf16
// boundary), split over threads: g = (y > 0 ? 1 : slope) * dy into fp32 g, or in place, d =
// bf16((x > 0 ? 1 : slope) * d) (exact for relu's slope 0).
void leaky_grad_bf16(const uint16_t* y, const uint16_t* dy, float slope, float* g, int64_t n);
void leaky_grad_bf16_inplace(const uint16_t* x, uint16_t* d, float slope, int64_t n);

}  // namespace aekit::kernels
