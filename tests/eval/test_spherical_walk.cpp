// eval::spherical_walk: ends at a and b, keeps the norm between codes of equal norm, and falls
// back to the straight line for parallel codes.
#include <gtest/gtest.h>

#include <cmath>

#include "eval/interpolation.h"
#include "tensor/error.h"

using namespace aekit;

TEST(SphericalWalk, EndsAtTheCodesAndKeepsTheNorm) {
  const Tensor a({3}, {3, 0, 0}), b({3}, {0, 0, 3});
  const Tensor z = eval::spherical_walk(a, b, 7);
  ASSERT_EQ(z.shape(), (Shape{7, 3}));
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(z[j], a[j], 1e-6);
    EXPECT_NEAR(z[6 * 3 + j], b[j], 1e-6);
  }
  for (int s = 0; s < 7; ++s) EXPECT_NEAR(std::hypot(z[s * 3], z[s * 3 + 2]), 3.0, 1e-5) << "step " << s;
  EXPECT_NEAR(z[3 * 3], 3 * std::cos(M_PI / 4), 1e-5);  // the midpoint is at 45 degrees
}

TEST(SphericalWalk, ParallelOrZeroCodesWalkTheLine) {
  const Tensor a({2}, {1, 1}), b({2}, {2, 2}), zero({2}, {0, 0});
  const Tensor p = eval::spherical_walk(a, b, 3), line = eval::linear_walk(a, b, 3);
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(p[i], line[i]);
  const Tensor q = eval::spherical_walk(zero, b, 3);
  EXPECT_FLOAT_EQ(q[2], 1.0f);
  EXPECT_THROW(eval::spherical_walk(a, b, 1), InputError);
}
