#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "tensor/rng.h"
#include "tensor/tensor.h"

using namespace aekit;

TEST(Rng, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    EXPECT_NE(x, c.next_u64());
  }
}

TEST(Rng, NormalMomentsAndUniformRange) {
  Rng r(1);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double v = r.normal();
    s += v;
    s2 += v * v;
    float u = r.uniform();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.01);
}

TEST(Rng, StateRoundTripContinuesExactly) {
  Rng a(9);
  a.normal();  // leaves a spare normal in the state
  Rng b(0);
  b.set_state(a.state());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.normal(), b.normal());
  EXPECT_THROW(b.set_state("garbage"), std::runtime_error);
}

TEST(Rng, ForksAreIndependentAndDoNotAdvanceParent) {
  Rng a(5), b(5);
  Rng f1 = a.fork(1), f2 = a.fork(2);
  EXPECT_NE(f1.next_u64(), f2.next_u64());
  EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(Rng, BelowIsUniformEnough) {
  Rng r(3);
  std::vector<int> counts(7);
  for (int i = 0; i < 70000; ++i) counts[r.below(7)]++;
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
}

TEST(Tensor, ResizeKeepsCapacityAndCopiesDeeply) {
  Tensor t({4, 8});
  float* p = t.data();
  t.resize({2, 8});
  EXPECT_EQ(t.data(), p);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
  Tensor u = t;
  u[0] = 5;
  EXPECT_NE(t[0], 5);
  EXPECT_THROW(t.reshape({3, 3}), std::invalid_argument);
}
