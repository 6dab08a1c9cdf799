// Bucket planning for the gradient allreduce (dist/bucket_plan.h).
#include <gtest/gtest.h>

#include "dist/bucket_plan.h"

using namespace aekit;

TEST(BucketPlan, KeepsOrderCoversAllAndRespectsTheCap) {
  const std::vector<int64_t> groups = {300, 0, 500, 200, 900, 100, 100, 0};
  const auto plan = dist::plan_buckets(groups, 1000);
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan.front().first, 0u);
  EXPECT_EQ(plan.back().end, groups.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    if (i > 0) {
      EXPECT_EQ(plan[i].first, plan[i - 1].end);
    }
    int64_t sum = 0;
    for (size_t g = plan[i].first; g < plan[i].end; ++g) sum += groups[g];
    EXPECT_EQ(sum, plan[i].values);
    EXPECT_LE(sum, 1000);
  }
  // [300, 0, 500, 200] fills 1000 exactly, 900 starts the next: [900, 100], then [100, 0].
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].end, 4u);
  EXPECT_EQ(plan[1].end, 6u);
}

TEST(BucketPlan, AGroupLargerThanTheCapGetsABucketOfItsOwn) {
  const auto plan = dist::plan_buckets({10, 5000, 10}, 100);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[1].values, 5000);
  EXPECT_EQ(plan[1].end - plan[1].first, 1u);
}

TEST(BucketPlan, OneBucketWhenEverythingFits) {
  const auto plan = dist::plan_buckets({1, 2, 3}, 1 << 20);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].values, 6);
  EXPECT_THROW(dist::plan_buckets({1}, 0), std::invalid_argument);
}
