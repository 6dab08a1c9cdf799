#include "eval/cosine.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/grad_check.h"
#include "tensor/error.h"

namespace aekit::eval {
namespace {

TEST(Cosine, SimilarityOfVectors) {
  const float a[] = {1, 0, 0}, b[] = {0, 2, 0}, c[] = {3, 3, 0}, z[] = {0, 0, 0}, m[] = {-2, 0, 0};
  EXPECT_DOUBLE_EQ(cosine_similarity(a, a, 3), 1.0);
  EXPECT_DOUBLE_EQ(cosine_similarity(a, b, 3), 0.0);
  EXPECT_NEAR(cosine_similarity(a, c, 3), std::sqrt(0.5), 1e-12);
  EXPECT_DOUBLE_EQ(cosine_similarity(a, m, 3), -1.0);
  EXPECT_DOUBLE_EQ(cosine_similarity(a, z, 3), 0.0);  // undefined: reported as 0
}

TEST(Cosine, RowwiseAndRanking) {
  Tensor x({3, 2}, {1, 0, 0, 1, 1, 1}), y({3, 2}, {2, 0, 1, 0, -1, -1});
  const std::vector<double> s = rowwise_cosine(x, y);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 1.0);
  EXPECT_DOUBLE_EQ(s[1], 0.0);
  EXPECT_NEAR(s[2], -1.0, 1e-12);
  EXPECT_THROW(rowwise_cosine(x, Tensor({2, 3})), InputError);

  const float q[] = {1, 0.1f};
  const auto r = rank_by_cosine(q, y, 2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].first, 0);  // rows 0 and 1 tie: the lower row first
  EXPECT_EQ(r[1].first, 1);
  EXPECT_EQ(rank_by_cosine(q, y, 10).back().first, 2);
}

TEST(Cosine, NearestRowsMatchesBruteForceAcrossBlocks) {
  const Tensor table = testing::random_tensor({40, 5}, 1);
  Tensor queries = testing::random_tensor({3, 200, 5}, 2);  // 600 queries: several blocks of 256
  const std::vector<int32_t> got = nearest_rows(queries, table);
  ASSERT_EQ(got.size(), 600u);
  for (int64_t i = 0; i < 600; ++i) {
    int64_t best = 0;
    for (int64_t r = 1; r < 40; ++r)
      if (cosine_similarity(queries.data() + i * 5, table.data() + r * 5, 5) >
          cosine_similarity(queries.data() + i * 5, table.data() + best * 5, 5))
        best = r;
    EXPECT_EQ(got[i], best) << "query " << i;
  }
}

TEST(Cosine, NearestRowsHonoursTheAllowedMask) {
  Tensor table({4, 2}, {0, 0, 1, 0, 0, 1, 0.9f, 0.1f});
  Tensor q({3, 2}, {1, 0.05f, 0, 0, 0, 2});
  EXPECT_EQ(nearest_rows(q, table), (std::vector<int32_t>{1, 0, 2}));
  EXPECT_EQ(nearest_rows(q, table, {1, 0, 1, 1}), (std::vector<int32_t>{3, 0, 2}));
  EXPECT_THROW(nearest_rows(q, table, {1, 0}), InputError);
  EXPECT_THROW(nearest_rows(Tensor({2, 3}), table), InputError);
}

}  // namespace
}  // namespace aekit::eval
