// Sample sources by index: the in-memory one and the prefix view --limit puts on a folder cache.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "data/sample_source.h"

using namespace aekit;

TEST(SampleSource, APrefixViewServesOnlyItsFirstSamples) {
  Tensor x({5, 2});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  const data::TensorSource all(x);
  const data::PrefixSource first3(all, 3);
  EXPECT_EQ(first3.size(), 3);
  EXPECT_EQ(first3.sample_shape(), (Shape{2}));
  Tensor b;
  const std::vector<int64_t> idx{2, 0};
  first3.gather(idx, b);
  EXPECT_EQ(b.shape(), (Shape{2, 2}));
  EXPECT_EQ(b[0], 4.0f);
  EXPECT_EQ(b[1], 5.0f);
  EXPECT_EQ(b[2], 0.0f);
  const std::vector<int64_t> past{3};
  EXPECT_THROW(first3.gather(past, b), std::out_of_range);
  EXPECT_EQ(data::PrefixSource(all, 99).size(), 5);  // a limit above the size keeps everything
}
