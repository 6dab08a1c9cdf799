// The matrix-multiply kernel: the only door to oneDNN's matmul.
//
//   C[M,N] = op(A)[M,K] * op(B)[K,N]  (+ bias[N])  (then activation)  (+ C if accumulate)
//
// All matrices are row-major float32. op(X) = X^T when the trans flag is set, i.e. A is stored
// [K,M] when trans_a. One oneDNN primitive is created per distinct call signature (and compute
// precision) and reused, so after the first step no primitive is created and nothing is allocated.
//
// Under a bf16 compute precision (kernels/precision.h) A and B are converted to bf16 into buffers
// the signature's plan owns and multiplied with fp32 accumulation; bias, activation and C stay
// fp32. Products of 1-4 rows (the GEMV path, gemv.h) stay fp32: they stream the weights once per
// call, and converting them would cost more than the product saves.
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
  // Nonzero: B holds the same values in every call with this pointer and version, so under bf16
  // its converted copy is reused (an LSTM's recurrent weights, read at every time step).
  // 0: converted on every call.
  uint64_t b_version = 0;
};

// A fresh value for Gemm::b_version (never 0), taken each time the weights behind B change.
uint64_t next_b_version();

void gemm(const Gemm& g, const float* a, const float* b, float* c);
// The same with A or B already in bf16 (kernels/packed_gemv_bf16.h's to_bf16 values, stored as
// the fp32 operand would be): a caller that makes the operand itself writes it once in bf16
// instead of having every product convert it (the LSTM's gate gradients feed four products).
// Under an fp32 compute precision the bf16 values are widened.
void gemm(const Gemm& g, const uint16_t* a, const float* b, float* c);
void gemm(const Gemm& g, const float* a, const uint16_t* b, float* c);

// Number of threads the kernels and element-wise loops use (default: all cores).
void set_threads(int n);
int threads();

}  // namespace aekit::kernels
