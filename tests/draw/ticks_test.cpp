#include "draw/ticks.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aekit::draw {
namespace {

using V = std::vector<double>;
using S = std::vector<std::string>;

TEST(Ticks, UnitIntervalInTenths) {
  const Ticks t = linear_ticks(0, 1, 6);
  ASSERT_EQ(t.values.size(), 6u);
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(t.values[i], 0.2 * i, 1e-12);
  EXPECT_EQ(t.labels, (S{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(Ticks, StepsAreOneTwoFive) {
  EXPECT_EQ(linear_ticks(0, 10, 6).values, (V{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(linear_ticks(0, 100, 3).values, (V{0, 50, 100}));
  EXPECT_EQ(linear_ticks(-3, 3, 7).values, (V{-3, -2, -1, 0, 1, 2, 3}));
  EXPECT_EQ(linear_ticks(0.13, 0.97, 5).labels, (S{"0.2", "0.4", "0.6", "0.8"}));
  EXPECT_EQ(linear_ticks(-0.35, 0.05, 5).labels, (S{"-0.3", "-0.2", "-0.1", "0.0"}));
}

TEST(Ticks, NeverMoreThanAskedAndAlwaysNiceSteps) {
  for (double lo : {-1234.5, -1.0, 0.0, 0.0031, 7.0})
    for (double span : {1e-3, 0.07, 1.0, 3.3, 95.0, 12345.0})
      for (int n : {2, 3, 5, 8, 12}) {
        const Ticks t = linear_ticks(lo, lo + span, n);
        ASSERT_LE(static_cast<int>(t.values.size()), n) << lo << " " << span << " " << n;
        ASSERT_GE(t.values.size(), 1u);
        ASSERT_EQ(t.labels.size(), t.values.size());
        for (double v : t.values) {
          EXPECT_GE(v, lo - span * 1e-9);
          EXPECT_LE(v, lo + span + span * 1e-9);
        }
        if (t.values.size() >= 2) {
          const double step = t.values[1] - t.values[0];
          const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
          EXPECT_TRUE(std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6)
              << step;
        }
      }
}

TEST(Ticks, IntegerOnlyKeepsWholeSteps) {
  EXPECT_EQ(linear_ticks(1, 3, 10, true).values, (V{1, 2, 3}));
  EXPECT_EQ(linear_ticks(1, 3, 10, true).labels, (S{"1", "2", "3"}));
}

TEST(Ticks, TinyAndHugeNumbersUseExponents) {
  EXPECT_EQ(linear_ticks(0, 4e-6, 3).labels, (S{"0", "2e-6", "4e-6"}));
  EXPECT_EQ(linear_ticks(0, 2e7, 3).labels, (S{"0", "1e7", "2e7"}));
}

TEST(Ticks, LogAxisUsesDecades) {
  const Ticks t = log_ticks(1e-3, 10, 8);
  EXPECT_EQ(t.labels, (S{"0.001", "0.01", "0.1", "1", "10"}));
  const Ticks sparse = log_ticks(1e-12, 1, 4);
  EXPECT_LE(sparse.values.size(), 4u);
  EXPECT_GE(sparse.values.size(), 2u);
  EXPECT_EQ(log_ticks(0.15, 0.6, 8).labels, (S{"0.2", "0.5"}));
}

TEST(Ticks, FormatNumber) {
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(1e-7), "1e-7");
  EXPECT_EQ(format_number(123456789.0, 3), "1.23e8");
}

}  // namespace
}  // namespace aekit::draw
