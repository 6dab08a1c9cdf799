#include "data/prefetch_loader.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace aekit::data {
namespace {

Tensor counting(int64_t n, int64_t f) {
  Tensor x({n, f});
  for (int64_t i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i);
  return x;
}

TEST(PrefetchLoader, YieldsTheBatchersOrderEpochAfterEpoch) {
  const Tensor x = counting(10, 3);
  TensorSource src(x);
  PrefetchLoader loader(src, 2);
  Batcher batcher(10, 4, true);
  Rng rng(5);
  for (int epoch = 0; epoch < 3; ++epoch) {
    batcher.start_epoch(rng);
    loader.start_epoch(batcher);
    Tensor batch;
    int64_t b = 0;
    while (loader.next(batch)) {
      const auto idx = batcher.batch_indices(b++);
      ASSERT_EQ(batch.dim(0), static_cast<int64_t>(idx.size()));
      for (size_t r = 0; r < idx.size(); ++r)
        for (int k = 0; k < 3; ++k) EXPECT_EQ(batch.data()[r * 3 + k], static_cast<float>(idx[r] * 3 + k));
    }
    EXPECT_EQ(b, 3);
    EXPECT_FALSE(loader.next(batch)) << "stays finished";
  }
}

// A source that records what it was asked to read ahead and to gather, and fails on sample 13.
class RecordingSource : public SampleSource {
 public:
  int64_t size() const override { return 100; }
  Shape sample_shape() const override { return {1}; }
  void gather(std::span<const int64_t> idx, Tensor& dst) const override {
    if (idx[0] == 13) throw std::runtime_error("sample 13 is unreadable");
    dst.resize({static_cast<int64_t>(idx.size()), 1});
    for (size_t i = 0; i < idx.size(); ++i) dst.data()[i] = static_cast<float>(idx[i]);
    gathered.push_back(idx[0]);
  }
  void read_ahead(std::span<const int64_t> idx) const override { read.push_back(idx[0]); }
  mutable std::vector<int64_t> gathered, read;
};

TEST(PrefetchLoader, ReadsDepthBatchesAheadAndGathersOnlyWhenAsked) {
  RecordingSource src;
  PrefetchLoader loader(src, 3);
  Batcher batcher(5, 1, false);
  Rng rng(0);
  batcher.start_epoch(rng);
  loader.start_epoch(batcher);
  EXPECT_EQ(src.read, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_TRUE(src.gathered.empty());
  Tensor batch;
  ASSERT_TRUE(loader.next(batch));
  EXPECT_EQ(batch.data()[0], 0.0f);
  EXPECT_EQ(src.gathered, (std::vector<int64_t>{0}));
  EXPECT_EQ(src.read, (std::vector<int64_t>{0, 1, 2, 3}));  // one more: still 3 ahead of the next
  while (loader.next(batch)) {
  }
  EXPECT_EQ(src.gathered, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(src.read, (std::vector<int64_t>{0, 1, 2, 3, 4}));  // nothing past the end
}

TEST(PrefetchLoader, AGatherErrorEndsTheEpochAndReachesTheCaller) {
  RecordingSource src;
  PrefetchLoader loader(src, 2);
  Batcher batcher(20, 1, false);
  Rng rng(0);
  batcher.start_epoch(rng);
  loader.start_epoch(batcher);
  Tensor batch;
  for (int i = 0; i < 13; ++i) ASSERT_TRUE(loader.next(batch));
  EXPECT_THROW(loader.next(batch), std::runtime_error);
  EXPECT_FALSE(loader.next(batch));
  // A new epoch starts cleanly after the error.
  loader.start_epoch(batcher);
  ASSERT_TRUE(loader.next(batch));
  EXPECT_EQ(batch.data()[0], 0.0f);
}

TEST(PrefetchLoader, RestartingMidEpochDropsTheOldBatches) {
  const Tensor x = counting(8, 1);
  TensorSource src(x);
  PrefetchLoader loader(src, 2);
  Batcher batcher(8, 2, false);
  Rng rng(0);
  batcher.start_epoch(rng);
  loader.start_epoch(batcher);
  Tensor batch;
  ASSERT_TRUE(loader.next(batch));
  loader.start_epoch(batcher);
  int n = 0;
  float first = -1;
  while (loader.next(batch)) first = n++ == 0 ? batch.data()[0] : first;
  EXPECT_EQ(n, 4);
  EXPECT_EQ(first, 0.0f);
}

}  // namespace
}  // namespace aekit::data
