// The bf16 half of kernels::PackedGemv: weights and inputs rounded to bf16, products summed in
// fp32 by AVX512_BF16's vdpbf16ps (two multiply-adds per 32-bit lane). Halving the bytes per
// weight halves what a batch-1 encode streams, and keeps a 784 -> 400 layer (627 KB in bf16,
// 1.25 MB in fp32) inside one core's L2 (1 MB on Zen 5, 2 MB on the current Xeon).
//
// Layout: inputs are taken in pairs; a block's weights are [ceil(k / 2), vectors * 16] 32-bit
// words, word (p, c) = bf16(W[c, 2p]) | bf16(W[c, 2p + 1]) << 16 (an odd k's last pair has a
// zero high half). The input is packed the same way, one word per pair.
//
// The kernels are compiled for AVX512_BF16 whatever -march says (a target attribute), and must be
// called only where kernels::cpu_has_bf16() is true.
#pragma once
#include <cstdint>

#include "kernels/matmul.h"

namespace aekit::kernels {

constexpr int kBf16Lanes = 16;      // fp32 sums per vector
constexpr int kBf16MaxVectors = 26;  // a block's sums in 32 registers, less the input and a weight

// bf16 of x, rounded to nearest even (NaN stays NaN).
uint16_t to_bf16(float x);
// The fp32 value of a bf16.
float from_bf16(uint16_t b);

// pairs[p] = bf16(x[2p]) | bf16(x[2p + 1]) << 16 for p < ceil(k / 2), as to_bf16 rounds.
// nonzero_pairs uses AVX-512: call it only where cpu_has_bf16() is true.
void pack_bf16_pairs(const float* x, int64_t k, uint32_t* pairs);

// Indices of the pairs that are not both +0 in bf16 (NaN kept); returns their count.
int64_t nonzero_pairs(const uint32_t* pairs, int64_t count, int32_t* idx);

// y[0, n) = act(bias + sum over the listed pairs (or all `count` when idx is null) of the pair's
// two products), for a block of `vectors` vectors (1 ... kBf16MaxVectors).
using Bf16BlockFn = void (*)(const uint32_t* w, const float* bias, const uint32_t* x, const int32_t* idx,
                             int64_t count, float* y, int64_t n, float alpha);
Bf16BlockFn bf16_block_fn(Fused act, bool sparse, int vectors);

}  // namespace aekit::kernels
