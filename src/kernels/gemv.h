// Products with a few rows against a weight matrix stored [N, K] (a dense layer's forward at
// batch 1-4: encoding one image in a service):
//
//   C[m, n] = act(sum_k A[m, k] * B[n, k] + bias[n]),  m < kSmallRows
//
// oneDNN's matmul is built for large M: at M = 1 it took ~30 us for a 784 x 400 layer whose
// 1.25 MB of weights stream in ~3 us from the two cores' L2 caches. Here each thread takes a
// contiguous range of B's rows (its own half of the weights, which then stays in its L2 between
// calls) and computes four dot products at a time with vector accumulators.
#pragma once
#include <cstdint>

#include "kernels/matmul.h"

namespace aekit::kernels {

constexpr int64_t kSmallRows = 5;

// True when gemm() should take this path: few rows, B transposed (the dense layout), A plain,
// no accumulate, and an activation that needs no transcendental function.
bool small_rows_suit(const Gemm& g);

// The product above on `threads` threads (1 runs inline).
void small_rows_gemm(const Gemm& g, const float* a, const float* b, float* c, int threads);

}  // namespace aekit::kernels
