// The few-rows product (kernels/gemv.cpp) that gemm() takes for batch 1-4 dense forwards,
// checked against a double-precision reference, on one and on two threads.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/gemv.h"
#include "kernels/matmul.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::random_values;

void check(int64_t m, int64_t n, int64_t k, bool bias, Fused act, int threads) {
  Rng rng(static_cast<uint64_t>(m * 1000003 + n * 1009 + k));
  const auto a = random_values(m * k, rng), b = random_values(n * k, rng), bv = random_values(n, rng);
  Gemm g;
  g.trans_b = true;
  g.m = m, g.n = n, g.k = k;
  g.bias = bias ? bv.data() : nullptr;
  g.act = act;
  g.alpha = 0.1f;
  ASSERT_TRUE(small_rows_suit(g));
  std::vector<float> c(m * n, NAN), via_gemm(m * n, NAN);
  small_rows_gemm(g, a.data(), b.data(), c.data(), threads);
  gemm(g, a.data(), b.data(), via_gemm.data());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = bias ? bv[j] : 0.0;
      for (int64_t q = 0; q < k; ++q) s += static_cast<double>(a[i * k + q]) * b[j * k + q];
      if (act == Fused::relu) s = s > 0 ? s : 0;
      if (act == Fused::leaky_relu) s = s > 0 ? s : 0.1 * s;
      const double tol = 1e-5 * (1 + std::sqrt(static_cast<double>(k)));
      ASSERT_NEAR(c[i * n + j], s, tol) << "m=" << m << " n=" << n << " k=" << k << " at " << i << "," << j;
      ASSERT_NEAR(via_gemm[i * n + j], s, tol) << "through gemm(), m=" << m << " n=" << n << " k=" << k;
    }
}

TEST(SmallRowsGemm, MatchesReferenceForEveryRowCountAndShape) {
  for (int64_t m = 1; m < kSmallRows; ++m)
    for (int64_t n : {1, 3, 4, 7, 33, 400})
      for (int64_t k : {1, 15, 16, 17, 784})
        for (int threads : {1, 2}) check(m, n, k, true, Fused::relu, threads);
}

TEST(SmallRowsGemm, ActivationsAndNoBias) {
  for (Fused act : {Fused::none, Fused::relu, Fused::leaky_relu}) {
    check(1, 20, 400, false, act, 2);
    check(3, 21, 50, true, act, 1);
  }
}

TEST(SmallRowsGemm, OnlyTakesTheCasesItHandles) {
  Gemm g;
  g.trans_b = true;
  g.m = 1, g.n = 8, g.k = 8;
  EXPECT_TRUE(small_rows_suit(g));
  g.m = kSmallRows;
  EXPECT_FALSE(small_rows_suit(g));  // large batches stay on oneDNN
  g.m = 1, g.act = Fused::sigmoid;
  EXPECT_FALSE(small_rows_suit(g));
  g.act = Fused::none, g.trans_b = false;
  EXPECT_FALSE(small_rows_suit(g));
  g.trans_b = true, g.accumulate = true;
  EXPECT_FALSE(small_rows_suit(g));
}

}  // namespace
}  // namespace aekit::kernels
