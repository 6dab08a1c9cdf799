// kernels::PackedGemv (one sample through a dense layer, weights packed input-major, zero inputs
// skipped) against a double-precision reference: output widths inside one vector, across block
// boundaries and wider than one block per thread; inputs all zero, sparse (the list path) and
// dense (the all-inputs path), with every fused activation, on one to three threads (a call
// that reads little of the weights runs on one).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kernels/packed_gemv.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::random_values;

std::vector<double> reference(const std::vector<float>& w, const std::vector<float>& b, const std::vector<float>& x,
                              int64_t n, int64_t k, Fused act, float alpha) {
  std::vector<double> y(n);
  for (int64_t r = 0; r < n; ++r) {
    double s = b.empty() ? 0.0 : b[r];
    for (int64_t c = 0; c < k; ++c) s += static_cast<double>(w[r * k + c]) * x[c];
    if (act == Fused::relu) s = s > 0 ? s : 0;
    if (act == Fused::leaky_relu) s = s > 0 ? s : alpha * s;
    y[r] = s;
  }
  return y;
}

// x with about `density` of its values nonzero (the rest exactly 0).
std::vector<float> input(int64_t k, double density, Rng& rng) {
  std::vector<float> x = random_values(k, rng);
  for (float& v : x)
    if (rng.uniform() >= density) v = 0.0f;
  return x;
}

TEST(PackedGemv, MatchesTheDenseProduct) {
  Rng rng(17);
  // 1200 x 784 at density 0.3 reads more than kParallelBytes: the list path on two threads.
  const int64_t shapes[][2] = {{1, 1}, {5, 3}, {16, 40}, {17, 33}, {20, 400}, {400, 784}, {1000, 50}, {513, 129},
                               {1200, 784}};
  for (const auto& nk : shapes) {
    const int64_t n = nk[0], k = nk[1];
    const std::vector<float> w = random_values(n * k, rng), b = random_values(n, rng);
    for (int threads : {1, 2, 3}) {
      for (bool with_bias : {true, false}) {
        const PackedGemv p(w.data(), with_bias ? b.data() : nullptr, n, k, threads);
        ASSERT_EQ(p.out(), n);
        ASSERT_EQ(p.in(), k);
        for (double density : {0.0, 0.05, 0.3, 0.9, 1.0}) {
          const std::vector<float> x = input(k, density, rng);
          for (Fused act : {Fused::none, Fused::relu, Fused::leaky_relu}) {
            const std::vector<double> want =
                reference(w, with_bias ? b : std::vector<float>{}, x, n, k, act, 0.2f);
            std::vector<float> y(n + 1, 12345.0f);  // one guard value past the end
            p.run(x.data(), y.data(), act, 0.2f);
            for (int64_t r = 0; r < n; ++r)
              ASSERT_NEAR(y[r], want[r], 1e-5 * (1 + std::sqrt(static_cast<double>(k))))
                  << n << "x" << k << " threads " << threads << " density " << density << " act "
                  << static_cast<int>(act) << " output " << r;
            ASSERT_EQ(y[n], 12345.0f) << "wrote past the output, " << n << "x" << k;
          }
        }
      }
    }
  }
}

TEST(PackedGemv, SplitsWideLayersIntoBlocksForEveryThread) {
  Rng rng(3);
  const std::vector<float> w = random_values(1000 * 8, rng);
  EXPECT_EQ(PackedGemv(w.data(), nullptr, 400, 8, 2).blocks() % 2, 0);  // AVX-512: 13 + 12 vectors
  EXPECT_GE(PackedGemv(w.data(), nullptr, 1000, 8, 1).blocks(), 2);  // 63 vectors: more than registers hold
  EXPECT_EQ(PackedGemv(w.data(), nullptr, 1000, 8, 2).blocks() % 2, 0);
  EXPECT_EQ(PackedGemv(w.data(), nullptr, 5, 8, 2).threads(), 1);  // one vector: one block
}

TEST(PackedGemv, NonFiniteInputsPropagateAsInTheDenseProduct) {
  Rng rng(5);
  const int64_t n = 40, k = 100;
  const std::vector<float> w = random_values(n * k, rng), b = random_values(n, rng);
  const PackedGemv p(w.data(), b.data(), n, k, 2);
  for (double density : {0.05, 1.0}) {  // both the list and the all-inputs path
    std::vector<float> x = input(k, density, rng);
    x[37] = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> y(n);
    for (Fused act : {Fused::none, Fused::relu, Fused::leaky_relu}) {  // relu keeps NaN, as PyTorch's
      p.run(x.data(), y.data(), act, 0.1f);
      for (int64_t r = 0; r < n; ++r) ASSERT_TRUE(std::isnan(y[r])) << "density " << density << " output " << r;
    }
    x[37] = std::numeric_limits<float>::infinity();
    p.run(x.data(), y.data(), Fused::none, 0.0f);
    for (int64_t r = 0; r < n; ++r) ASSERT_TRUE(std::isinf(y[r]) || std::isnan(y[r])) << "output " << r;
  }
}

TEST(PackedGemv, RefusesActivationsItCannotFuseAndEmptyShapes) {
  const std::vector<float> w(6, 1.0f), x(3, 1.0f);
  std::vector<float> y(2);
  const PackedGemv p(w.data(), nullptr, 2, 3, 1);
  EXPECT_THROW(p.run(x.data(), y.data(), Fused::sigmoid, 0.0f), std::invalid_argument);
  EXPECT_THROW(PackedGemv(w.data(), nullptr, 0, 3, 1), std::invalid_argument);
}

}  // namespace
}  // namespace aekit::kernels
