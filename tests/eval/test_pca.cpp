#include "eval/pca.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/fixtures.h"
#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::eval {
namespace {

// Points t * a + s * b + centre on the grid t in {-2,-1,1,2}, s in {-0.5,0.5}, with a = (cos 30°,
// sin 30°) and b its perpendicular: variance 20/7 along a and 2/7 along b (denominator N - 1 = 7).
TEST(Pca, RecoversTheAxesOfStretched2dData) {
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  const double ts[] = {-2, -1, 1, 2}, ss[] = {-0.5, 0.5};
  Tensor x({8, 2});
  int i = 0;
  for (double t : ts)
    for (double u : ss) {
      x[2 * i] = static_cast<float>(3 + t * c - u * s);
      x[2 * i + 1] = static_cast<float>(-1 + t * s + u * c);
      ++i;
    }
  const Pca p = fit_pca(x, 2);
  EXPECT_NEAR(p.mean[0], 3, 1e-6);
  EXPECT_NEAR(p.mean[1], -1, 1e-6);
  ASSERT_EQ(p.explained_variance.size(), 2u);
  EXPECT_NEAR(p.explained_variance[0], 20.0 / 7, 1e-5);
  EXPECT_NEAR(p.explained_variance[1], 2.0 / 7, 1e-5);
  // Sign convention: the largest-magnitude entry is positive.
  EXPECT_NEAR(p.components[0], c, 1e-5);
  EXPECT_NEAR(p.components[1], s, 1e-5);
  EXPECT_NEAR(p.components[2], -s, 1e-5);
  EXPECT_NEAR(p.components[3], c, 1e-5);

  const Tensor codes = pca_transform(p, x);
  ASSERT_EQ(codes.shape(), (Shape{8, 2}));
  i = 0;
  for (double t : ts)
    for (double u : ss) {
      EXPECT_NEAR(codes[2 * i], t, 1e-5);
      EXPECT_NEAR(codes[2 * i + 1], u, 1e-5);
      ++i;
    }

  const Pca top = fit_pca(x, 1);
  ASSERT_EQ(top.components.shape(), (Shape{1, 2}));
  EXPECT_NEAR(top.components[0], c, 1e-5);
  EXPECT_EQ(pca_transform(top, x).shape(), (Shape{8, 1}));
}

TEST(Pca, MatchesNumpyEigh) {
  const testing::Fixture f("pca");
  for (int k : {6, 3}) {
    const Pca p = fit_pca(f["x"], k);
    EXPECT_TRUE(testing::all_close(p.mean, f["mean"], 1e-6, 1e-6));
    Tensor want({k, 6});
    for (int64_t j = 0; j < k * 6; ++j) want[j] = f["components"][j];
    EXPECT_TRUE(testing::all_close(p.components, want, 1e-5, 1e-5)) << "k = " << k;
    ASSERT_EQ(p.explained_variance.size(), static_cast<size_t>(k));
    for (int c = 0; c < k; ++c) EXPECT_NEAR(p.explained_variance[c], f["explained_variance"][c], 1e-5 * f["explained_variance"][c]);
  }
}

// Image-shaped input, D not a multiple of the kernel's tile and more samples than one block:
// components are orthonormal and each code's sample variance is its explained variance.
TEST(Pca, CodesCarryTheExplainedVariance) {
  const int64_t N = 600, D = 3 * 13;
  Tensor x({N, 3, 13, 1});
  Rng rng(7);
  for (int64_t n = 0; n < N; ++n) {
    const float a = rng.normal() * 4, b = rng.normal() * 2;
    for (int64_t j = 0; j < D; ++j) x[n * D + j] = a * std::sin(0.3f * j) + b * std::cos(0.7f * j) + 0.1f * rng.normal() + 5;
  }
  const int k = 5;
  const Pca p = fit_pca(x, k);
  for (int c = 0; c < k; ++c)
    for (int d = 0; d < k; ++d) {
      double dot = 0;
      for (int64_t j = 0; j < D; ++j) dot += static_cast<double>(p.components[c * D + j]) * p.components[d * D + j];
      EXPECT_NEAR(dot, c == d ? 1.0 : 0.0, 1e-5);
    }
  const Tensor codes = pca_transform(p, x);
  for (int c = 0; c < k; ++c) {
    double m = 0, v = 0;
    for (int64_t n = 0; n < N; ++n) m += codes[n * k + c];
    m /= N;
    for (int64_t n = 0; n < N; ++n) v += (codes[n * k + c] - m) * (codes[n * k + c] - m);
    EXPECT_NEAR(v / (N - 1), p.explained_variance[c], 1e-4 * p.explained_variance[0]);
    if (c > 0) {
      EXPECT_LE(p.explained_variance[c], p.explained_variance[c - 1]);
    }
  }
  EXPECT_GT(p.explained_variance[1], 10 * p.explained_variance[2]);  // two real directions, then noise
}

TEST(Pca, RejectsBadInput) {
  EXPECT_THROW(fit_pca(Tensor({1, 3}), 1), InputError);
  EXPECT_THROW(fit_pca(Tensor({4, 3}), 0), InputError);
  EXPECT_THROW(fit_pca(Tensor({4, 3}), 4), InputError);
  EXPECT_THROW(fit_pca(Tensor({4}), 1), InputError);
  const Pca p = fit_pca(Tensor({4, 3}, {1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1}), 2);
  EXPECT_THROW(pca_transform(p, Tensor({2, 4})), InputError);
}

}  // namespace
}  // namespace aekit::eval
