#include "eval/roc.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::eval {
namespace {

TEST(Roc, AucOfHandCases) {
  EXPECT_DOUBLE_EQ(roc_auc({1, 2, 3, 4}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({4, 3, 2, 1}, {0, 0, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);  // scikit-learn's example
  // Positives {2, 3} against negatives {1, 2}: pairs 1 + 0.5 + 1 + 1 out of 4.
  EXPECT_DOUBLE_EQ(roc_auc({2, 1, 3, 2}, {1, 0, 1, 0}), 0.875);
  EXPECT_DOUBLE_EQ(roc_auc({5, 5, 5, 5, 5}, {1, 0, 0, 1, 0}), 0.5);
  EXPECT_DOUBLE_EQ(roc_auc({1, 2}, {7, 0}), 0.0);  // any non-zero marks a positive
}

TEST(Roc, CurveOfHandCaseWithTies) {
  const auto c = roc_curve({2, 1, 3, 2}, {1, 0, 1, 0});
  const std::vector<std::pair<double, double>> want = {{0, 0}, {0, 0.5}, {0.5, 1}, {1, 1}};
  EXPECT_EQ(c, want);
  EXPECT_EQ(roc_curve({4, 4, 4}, {1, 0, 0}), (std::vector<std::pair<double, double>>{{0, 0}, {1, 1}}));
}

TEST(Roc, AucIsTheTrapezoidAreaUnderTheCurve) {
  Rng rng(5);
  std::vector<double> s(500);
  std::vector<int> p(500);
  for (size_t i = 0; i < s.size(); ++i) {
    p[i] = rng.uniform() < 0.3f;
    s[i] = std::round(4 * (rng.normal() + p[i])) / 4;  // coarse: many ties
  }
  const auto c = roc_curve(s, p);
  double area = 0;
  for (size_t i = 1; i < c.size(); ++i) area += (c[i].first - c[i - 1].first) * (c[i].second + c[i - 1].second) / 2;
  EXPECT_NEAR(roc_auc(s, p), area, 1e-12);
  EXPECT_GT(area, 0.7);
}

TEST(Roc, ThresholdAtFalsePositiveRate) {
  std::vector<double> s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5.5, 9.5, 11};
  std::vector<int> p = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(threshold_at_fpr(s, p, 0.0), 10);  // score > 10: no negative
  EXPECT_DOUBLE_EQ(threshold_at_fpr(s, p, 0.1), 9);   // one negative (10) above
  EXPECT_DOUBLE_EQ(threshold_at_fpr(s, p, 0.25), 8);  // floor(2.5) = 2 negatives above
  EXPECT_DOUBLE_EQ(threshold_at_fpr(s, p, 0.95), 1);
  // Tied negatives {1, 2, 2, 2, 3}: 2 admits one false positive, 1 admits four.
  const std::vector<double> t = {1, 2, 2, 2, 3, 9};
  const std::vector<int> q = {0, 0, 0, 0, 0, 1};
  EXPECT_DOUBLE_EQ(threshold_at_fpr(t, q, 0.2), 2);
  EXPECT_DOUBLE_EQ(threshold_at_fpr(t, q, 0.6), 2);
  EXPECT_DOUBLE_EQ(threshold_at_fpr(t, q, 0.8), 1);
  // 0.29 * 100 is 28.999... in double: still 29 false positives allowed.
  std::vector<double> u(101);
  std::vector<int> v(101, 0);
  for (int i = 0; i < 100; ++i) u[i] = i;
  u[100] = 1000, v[100] = 1;
  EXPECT_DOUBLE_EQ(threshold_at_fpr(u, v, 0.29), 70);
}

TEST(Roc, RejectsBadInput) {
  EXPECT_THROW(roc_auc({1, 2}, {1, 1}), InputError);
  EXPECT_THROW(roc_auc({1, 2}, {0, 0}), InputError);
  EXPECT_THROW(roc_auc({1, 2}, {0, 1, 1}), InputError);
  EXPECT_THROW(roc_auc({1, std::nan("")}, {0, 1}), InputError);
  EXPECT_THROW(roc_curve({}, {}), InputError);
  EXPECT_THROW(threshold_at_fpr({1, 2}, {0, 1}, 1.0), InputError);
  EXPECT_THROW(threshold_at_fpr({1, 2}, {0, 1}, -0.1), InputError);
}

}  // namespace
}  // namespace aekit::eval
