// The matrix-multiply kernel: the only door to oneDNN's matmul.
//
//   C[M,N] = op(A)[M,K] * op(B)[K,N]  (+ bias[N])  (then activation)  (+ C if accumulate)
//
// All matrices are row-major float32. op(X) = X^T when the trans flag is set, i.e. A is stored
// [K,M] when trans_a. One oneDNN primitive is created per distinct call signature and reused,
// so after the first step no primitive is created and nothing is allocated.
#pragma once
#include <cstdint>

namespace aekit::kernels {

// Activations oneDNN can apply to the matmul result in the same pass (saves a trip to memory).
enum class Fused { none, relu, leaky_relu, sigmoid, tanh };

struct Gemm {
  bool trans_a = false, trans_b = false;
  int64_t m = 0, n = 0, k = 0;
  const float* bias = nullptr;  // length n, added to every row
  Fused act = Fused::none;
  float alpha = 0.0f;           // leaky_relu slope
  bool accumulate = false;      // C += result instead of C = result
};

void gemm(const Gemm& g, const float* a, const float* b, float* c);

// Number of threads the kernels and element-wise loops use (default: all cores).
void set_threads(int n);
int threads();

}  // namespace aekit::kernels
