#include "eval/knn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::eval {
namespace {

Tensor column(const std::vector<float>& v) { return Tensor({static_cast<int64_t>(v.size()), 1}, v); }

TEST(Knn, MajorityOfTheNearest) {
  const Tensor train = column({0, 1, 2, 10, 11});
  const std::vector<int> labels = {7, 7, 8, 9, 9};
  EXPECT_EQ(knn_predict(train, labels, column({0.4f, 1.9f, 10.6f, 6.5f}), 1), (std::vector<int>{7, 8, 9, 9}));
  // k = 3: {0,1,2} -> 7; {1,2,0} -> 7; {11,10,2} -> 9; 6.5 sees {10,11,2} -> 9.
  EXPECT_EQ(knn_predict(train, labels, column({0.4f, 1.9f, 10.6f, 6.5f}), 3), (std::vector<int>{7, 7, 9, 9}));
  EXPECT_DOUBLE_EQ(knn_accuracy(train, labels, column({0.4f, 1.9f, 10.6f, 6.5f}), {7, 8, 9, 8}, 1), 0.75);
}

TEST(Knn, VoteTiesGoToTheNearestTiedLabel) {
  // From the query at 0, neighbours by distance: 1 (label 5), 2 (1), 3 (2), 4 (1), 5 (2).
  const Tensor train = column({5, 4, 3, 2, 1});
  const std::vector<int> labels = {2, 1, 2, 1, 5};
  EXPECT_EQ(knn_predict(train, labels, column({0}), 2), (std::vector<int>{5}));  // 1-1 tie: nearest
  EXPECT_EQ(knn_predict(train, labels, column({0}), 3), (std::vector<int>{5}));  // 1-1-1 tie: nearest
  EXPECT_EQ(knn_predict(train, labels, column({0}), 5), (std::vector<int>{1}));  // 2-2 tie, label 5 not in it
  EXPECT_EQ(knn_predict(train, labels, column({5.4f}), 4), (std::vector<int>{2}));  // 2 (5,3) vs 1 (4,2)
}

TEST(Knn, EqualDistancesPreferTheEarlierTrainingRow) {
  EXPECT_EQ(knn_predict(column({-1, 1}), {0, 1}, column({0}), 1), (std::vector<int>{0}));
  EXPECT_EQ(knn_predict(column({1, -1}), {1, 0}, column({0}), 1), (std::vector<int>{1}));
  // Duplicated training points: all three at distance 0, the first two outvote the third.
  EXPECT_EQ(knn_predict(column({3, 3, 3}), {4, 4, 6}, column({3}), 3), (std::vector<int>{4}));
}

// Random 3-D codes over several distance chunks against a plain sort-based search.
TEST(Knn, MatchesBruteForceAcrossChunks) {
  const int64_t N = 2500, M = 300, D = 3;
  Rng rng(3);
  Tensor train({N, D}), test({M, D});
  for (float& v : train) v = rng.normal();
  for (float& v : test) v = rng.normal();
  std::vector<int> labels(N);
  for (int& l : labels) l = static_cast<int>(rng.below(4));
  for (int k : {1, 5, 12}) {
    const std::vector<int> got = knn_predict(train, labels, test, k);
    for (int64_t m = 0; m < M; ++m) {
      std::vector<std::pair<double, int64_t>> d(N);
      for (int64_t n = 0; n < N; ++n) {
        double s = 0;
        for (int64_t j = 0; j < D; ++j) s += (static_cast<double>(train[n * D + j]) - test[m * D + j]) * (train[n * D + j] - test[m * D + j]);
        d[n] = {s, n};
      }
      std::sort(d.begin(), d.end());
      std::vector<int> votes(4, 0);
      for (int j = 0; j < k; ++j) ++votes[labels[d[j].second]];
      const int most = *std::max_element(votes.begin(), votes.end());
      int want = -1;
      for (int j = 0; j < k && want < 0; ++j)
        if (votes[labels[d[j].second]] == most) want = labels[d[j].second];
      ASSERT_EQ(got[m], want) << "k " << k << " test row " << m;
    }
  }
}

TEST(Knn, SeparatedClustersAreClassifiedPerfectly) {
  Rng rng(4);
  const float centres[3][2] = {{0, 0}, {10, 0}, {0, 10}};
  Tensor train({300, 2}), test({90, 2});
  std::vector<int> ytrain(300), ytest(90);
  for (int64_t i = 0; i < 300; ++i) {
    ytrain[i] = static_cast<int>(i % 3);
    for (int j = 0; j < 2; ++j) train[i * 2 + j] = centres[i % 3][j] + rng.normal();
  }
  for (int64_t i = 0; i < 90; ++i) {
    ytest[i] = static_cast<int>(i % 3);
    for (int j = 0; j < 2; ++j) test[i * 2 + j] = centres[i % 3][j] + rng.normal();
  }
  EXPECT_DOUBLE_EQ(knn_accuracy(train, ytrain, test, ytest, 5), 1.0);
}

TEST(Knn, RejectsBadInput) {
  const Tensor train = column({0, 1});
  EXPECT_THROW(knn_predict(train, {0, 1}, column({0}), 0), InputError);
  EXPECT_THROW(knn_predict(train, {0, 1}, column({0}), 3), InputError);
  EXPECT_THROW(knn_predict(train, {0}, column({0}), 1), InputError);
  EXPECT_THROW(knn_predict(train, {0, 1}, Tensor({1, 2}), 1), InputError);
  EXPECT_THROW(knn_predict(column({0, std::nanf("")}), {0, 1}, column({0}), 1), InputError);
  EXPECT_THROW(knn_accuracy(train, {0, 1}, column({0}), {0, 1}, 1), InputError);
  EXPECT_THROW(knn_accuracy(train, {0, 1}, Tensor({0, 1}), {}, 1), InputError);
}

}  // namespace
}  // namespace aekit::eval
