#include "kernels/gemv.h"

#include <algorithm>

#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace aekit::kernels {
namespace {

using namespace simd;

inline float activate(Fused act, float alpha, float v) {
  switch (act) {
    case Fused::relu: return v <= 0 ? 0.0f : v;  // keeps NaN, as oneDNN's and PyTorch's relu do
    case Fused::leaky_relu: return v <= 0 ? alpha * v : v;
    default: return v;
  }
}

// Rows [n0, n1) of C for all M rows of A: dot products of A's rows with 4 rows of B at a time.
template <int M>
void rows(const Gemm& g, const float* a, const float* b, float* c, int64_t n0, int64_t n1) {
  const int64_t K = g.k, kv = K / kLanes * kLanes;
  auto finish = [&](int64_t n, int m, float s) {
    if (g.bias) s += g.bias[n];
    c[m * g.n + n] = activate(g.act, g.alpha, s);
  };
  int64_t n = n0;
  for (; n + 4 <= n1; n += 4) {
    const float* w[4] = {b + n * K, b + (n + 1) * K, b + (n + 2) * K, b + (n + 3) * K};
    vf acc[M][4] = {};
    for (int64_t k = 0; k < kv; k += kLanes) {
      const vf w0 = load(w[0] + k), w1 = load(w[1] + k), w2 = load(w[2] + k), w3 = load(w[3] + k);
      for (int m = 0; m < M; ++m) {
        const vf x = load(a + m * K + k);
        acc[m][0] += x * w0, acc[m][1] += x * w1, acc[m][2] += x * w2, acc[m][3] += x * w3;
      }
    }
    for (int m = 0; m < M; ++m)
      for (int j = 0; j < 4; ++j) {
        float s = hsum(acc[m][j]);
        for (int64_t k = kv; k < K; ++k) s += a[m * K + k] * w[j][k];
        finish(n + j, m, s);
      }
  }
  for (; n < n1; ++n) {
    const float* w = b + n * K;
    for (int m = 0; m < M; ++m) {
      vf acc = {};
      for (int64_t k = 0; k < kv; k += kLanes) acc += load(a + m * K + k) * load(w + k);
      float s = hsum(acc);
      for (int64_t k = kv; k < K; ++k) s += a[m * K + k] * w[k];
      finish(n, m, s);
    }
  }
}

template <int M>
void run(const Gemm& g, const float* a, const float* b, float* c, int threads) {
  if (threads <= 1) return rows<M>(g, a, b, c, 0, g.n);
  // Ranges in multiples of 4 rows, so only the last thread has a remainder.
  const int64_t quads = (g.n + 3) / 4;
  parallel_threads(threads, 1, [&](int t, int T) {
    const int64_t q0 = quads * t / T, q1 = quads * (t + 1) / T;
    rows<M>(g, a, b, c, std::min(4 * q0, g.n), std::min(4 * q1, g.n));
  });
}

}  // namespace

bool small_rows_suit(const Gemm& g) {
  return g.m >= 1 && g.m < kSmallRows && !g.trans_a && g.trans_b && !g.accumulate &&
         (g.act == Fused::none || g.act == Fused::relu || g.act == Fused::leaky_relu);
}

void small_rows_gemm(const Gemm& g, const float* a, const float* b, float* c, int threads) {
  switch (g.m) {
    case 1: return run<1>(g, a, b, c, threads);
    case 2: return run<2>(g, a, b, c, threads);
    case 3: return run<3>(g, a, b, c, threads);
    default: return run<4>(g, a, b, c, threads);
  }
}

}  // namespace aekit::kernels
