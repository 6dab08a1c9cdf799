#include "data/batcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "data_test_util.h"

namespace aekit::data {
namespace {

std::vector<int64_t> epoch_order(const Batcher& b) {
  std::vector<int64_t> order;
  for (int64_t i = 0; i < b.batches(); ++i) {
    const auto idx = b.batch_indices(i);
    order.insert(order.end(), idx.begin(), idx.end());
  }
  return order;
}

TEST(DataBatcher, BatchCountsAndPartialLastBatch) {
  Batcher keep(10, 3, false);
  EXPECT_EQ(keep.batches(), 4);
  EXPECT_EQ(keep.batch_indices(0).size(), 3u);
  EXPECT_EQ(keep.batch_indices(3).size(), 1u);
  EXPECT_EQ(keep.batch_indices(3)[0], 9);

  Batcher drop(10, 3, false, /*drop_last=*/true);
  EXPECT_EQ(drop.batches(), 3);
  EXPECT_EQ(epoch_order(drop).size(), 9u);

  EXPECT_EQ(Batcher(9, 3, false).batches(), 3);
  EXPECT_EQ(Batcher(2, 5, false, true).batches(), 0);
  EXPECT_EQ(Batcher(0, 5, true).batches(), 0);
  EXPECT_THROW(keep.batch_indices(4), std::out_of_range);
  EXPECT_THROW(keep.batch_indices(-1), std::out_of_range);
}

TEST(DataBatcher, RejectsNonPositiveBatchSize) {
  datatest::expect_input_error([] { Batcher(10, 0, true); }, {"batch size", "0"});
}

TEST(DataBatcher, InOrderWithoutShuffleAndLeavesRngAlone) {
  Batcher b(7, 2, false);
  Rng rng(5), untouched(5);
  b.start_epoch(rng);
  std::vector<int64_t> identity(7);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(epoch_order(b), identity);
  EXPECT_EQ(rng.next_u64(), untouched.next_u64());
}

TEST(DataBatcher, EveryIndexExactlyOncePerEpoch) {
  Batcher b(1001, 64, true);
  Rng rng(42);
  std::vector<int64_t> previous;
  for (int epoch = 0; epoch < 5; ++epoch) {
    b.start_epoch(rng);
    std::vector<int64_t> order = epoch_order(b);
    ASSERT_EQ(order.size(), 1001u);
    EXPECT_NE(order, previous) << "epoch " << epoch << " repeated the previous order";
    previous = order;
    std::sort(order.begin(), order.end());
    for (int64_t i = 0; i < 1001; ++i) ASSERT_EQ(order[i], i);
  }
}

TEST(DataBatcher, SameSeedSameOrder) {
  Batcher a(500, 32, true), b(500, 32, true), c(500, 32, true);
  Rng ra(7), rb(7), rc(8);
  for (int epoch = 0; epoch < 3; ++epoch) {
    a.start_epoch(ra);
    b.start_epoch(rb);
    c.start_epoch(rc);
    EXPECT_EQ(epoch_order(a), epoch_order(b));
    EXPECT_NE(epoch_order(a), epoch_order(c));
  }
}

TEST(DataBatcher, OrderDependsOnlyOnRngState) {
  // A resumed run restores the RNG state, not the previous permutation.
  Batcher trained(100, 10, true), resumed(100, 10, true);
  Rng rng(3);
  trained.start_epoch(rng);
  const std::string state = rng.state();
  trained.start_epoch(rng);
  Rng restored;
  restored.set_state(state);
  resumed.start_epoch(restored);
  EXPECT_EQ(epoch_order(trained), epoch_order(resumed));
}

Tensor numbered(Shape shape) {
  Tensor t(shape);
  std::iota(t.begin(), t.end(), 0.0f);
  return t;
}

TEST(DataGather, CopiesRowsInIndexOrder) {
  const Tensor src = numbered({5, 2, 3});
  Tensor dst;
  const std::vector<int64_t> idx = {4, 0, 4};
  gather_rows(src, idx, dst);
  ASSERT_EQ(dst.shape(), (Shape{3, 2, 3}));
  for (int64_t r = 0; r < 3; ++r)
    for (int64_t k = 0; k < 6; ++k) EXPECT_EQ(dst[r * 6 + k], src[idx[r] * 6 + k]);
}

TEST(DataGather, LargeBatchUsesTheParallelPathCorrectly) {
  const Tensor src = numbered({1000, 784});
  std::vector<int64_t> idx(256);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int64_t>((i * 37) % 1000);
  Tensor dst;
  gather_rows(src, idx, dst);
  ASSERT_EQ(dst.shape(), (Shape{256, 784}));
  for (size_t r = 0; r < idx.size(); ++r)
    ASSERT_EQ(dst[r * 784 + 5], src[idx[r] * 784 + 5]) << r;
}

TEST(DataGather, ReusesTheDestinationBuffer) {
  const Tensor src = numbered({100, 4});
  Batcher b(100, 32, true);
  Rng rng(1);
  Tensor dst;
  gather_rows(src, b.batch_indices(0), dst);
  const float* buffer = dst.data();
  for (int epoch = 0; epoch < 2; ++epoch) {
    b.start_epoch(rng);
    for (int64_t i = 0; i < b.batches(); ++i) {  // includes the last batch of 4
      const auto idx = b.batch_indices(i);
      gather_rows(src, idx, dst);
      EXPECT_EQ(dst.data(), buffer);
      EXPECT_EQ(dst.dim(0), static_cast<int64_t>(idx.size()));
      EXPECT_EQ(dst[0], src[idx[0] * 4]);
    }
  }
}

TEST(DataGather, RejectsBadIndices) {
  const Tensor src = numbered({3, 2});
  Tensor dst;
  const std::vector<int64_t> high = {0, 3}, negative = {-1};
  EXPECT_THROW(gather_rows(src, high, dst), std::out_of_range);
  EXPECT_THROW(gather_rows(src, negative, dst), std::out_of_range);
}

TEST(DataGather, EmptySelection) {
  const Tensor src = numbered({3, 2});
  Tensor dst;
  gather_rows(src, {}, dst);
  EXPECT_EQ(dst.shape(), (Shape{0, 2}));
}

}  // namespace
}  // namespace aekit::data
