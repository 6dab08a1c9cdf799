// Image sets kept as pixel bytes: every gathered batch has exactly the bits the float split
// loaded before (bytes / 255.0f) had, so training on either gives the same losses.
#include "data/pixel_source.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "data/image_dataset.h"
#include "data_test_util.h"

namespace aekit::data {
namespace {

using datatest::counting_bytes;
using datatest::gzip;
using datatest::idx_file;
using datatest::repo_file;
using datatest::TempDir;
using datatest::write_file;

// The whole split as floats the way the loader made them until the pixels were kept as bytes:
// load_idx_images' loop `x[i] = px[i] / 255.0f`.
Tensor floats_as_loaded_before(const std::vector<uint8_t>& px, const Shape& shape) {
  Tensor x(shape);
  for (int64_t i = 0; i < x.size(); ++i) x[i] = px[i] / 255.0f;
  return x;
}

::testing::AssertionResult same_bits(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return ::testing::AssertionFailure() << to_string(a.shape()) << " vs " << to_string(b.shape());
  for (int64_t i = 0; i < a.size(); ++i)
    if (std::memcmp(a.data() + i, b.data() + i, sizeof(float)) != 0)
      return ::testing::AssertionFailure() << "value " << i << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

TEST(PixelSource, EveryByteValueGathersToTheFloatItHadBefore) {
  // 4 samples of 8 x 8 pixels hold each byte value 0..255 once.
  const std::string payload = counting_bytes(256);
  const std::vector<uint8_t> px(payload.begin(), payload.end());
  const PixelSource pixels(px, {1, 8, 8});
  const Tensor before = floats_as_loaded_before(px, {4, 1, 8, 8});
  const TensorSource floats(before);
  const std::vector<int64_t> idx{3, 0, 2, 1, 3};
  Tensor a, b;
  pixels.gather(idx, a);
  floats.gather(idx, b);
  EXPECT_TRUE(same_bits(a, b));
  EXPECT_TRUE(same_bits(pixels.to_tensor(), before));
  EXPECT_EQ(a[0], 192.0f / 255.0f);
}

TEST(PixelSource, BatchesOfTheMnistTrainingSplitEqualTheFloatSplit) {
  const PixelSet pixels = load_pixel_split(repo_file("data/mnist"), "train");
  ASSERT_EQ(pixels.size(), 60000);
  EXPECT_EQ(pixels.x.sample_shape(), (Shape{1, 28, 28}));
  EXPECT_EQ(pixels.labels.size(), 60000u);
  const std::vector<uint8_t> px(pixels.x.sample(0), pixels.x.sample(0) + 60000 * 784);
  const Tensor before = floats_as_loaded_before(px, {60000, 1, 28, 28});
  const TensorSource floats(before);
  // The trainer's batch size range, rows in a scattered order (the parallel path starts at 64).
  std::vector<int64_t> idx;
  for (int64_t i = 0; i < 300; ++i) idx.push_back((i * 7919) % 60000);
  Tensor a, b;
  for (size_t rows : {size_t{1}, size_t{63}, size_t{256}, size_t{300}}) {
    pixels.x.gather(std::span<const int64_t>(idx.data(), rows), a);
    floats.gather(std::span<const int64_t>(idx.data(), rows), b);
    EXPECT_TRUE(same_bits(a, b)) << rows << " rows";
  }
  EXPECT_TRUE(same_bits(load_image_split(repo_file("data/mnist"), "test").x,
                        load_pixel_split(repo_file("data/mnist"), "test").x.to_tensor()));
}

TEST(PixelSource, IdxPixelsKeepLabelsAndSource) {
  TempDir tmp;
  const auto images = write_file(tmp.path("i.gz"), gzip(idx_file(0x08, {3, 2, 2}, counting_bytes(12))));
  const auto labels = write_file(tmp.path("l"), idx_file(0x08, {3}, {4, 0, 9}));
  const PixelSet set = load_idx_pixels(images, labels);
  EXPECT_EQ(set.size(), 3);
  EXPECT_EQ(set.x.sample_shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(set.labels, (std::vector<int>{4, 0, 9}));
  EXPECT_EQ(set.source, images);
  EXPECT_TRUE(set.x.in_memory());
  EXPECT_EQ(set.x.sample(2)[3], 11);
}

TEST(PixelSource, SubsetAndTakeKeepTheChosenRowsAsBytes) {
  const std::string payload = counting_bytes(12);
  PixelSet set{PixelSource(std::vector<uint8_t>(payload.begin(), payload.end()), {1, 2, 2}), {5, 6, 7}, "s"};
  const PixelSet picked = subset(set, {2, 0});
  EXPECT_EQ(picked.size(), 2);
  EXPECT_EQ(picked.labels, (std::vector<int>{7, 5}));
  EXPECT_EQ(picked.x.sample(0)[0], 8);
  EXPECT_EQ(picked.x.sample(1)[0], 0);
  const PixelSet first = take(set, 2);
  EXPECT_EQ(first.size(), 2);
  EXPECT_EQ(first.labels, (std::vector<int>{5, 6}));
  EXPECT_EQ(take(set, 99).size(), 3);
  EXPECT_THROW(subset(set, {3}), std::out_of_range);
}

TEST(PixelSource, RejectsBadIndicesBeforeTouchingTheBatch) {
  const PixelSource pixels(std::vector<uint8_t>(8, 255), {2, 2});
  Tensor b({1, 2, 2});
  b.fill(-1.0f);
  const std::vector<int64_t> bad{0, 2};
  EXPECT_THROW(pixels.gather(bad, b), std::out_of_range);
  EXPECT_EQ(b[0], -1.0f);
  const std::vector<int64_t> negative{-1};
  EXPECT_THROW(pixels.gather(negative, b), std::out_of_range);
  EXPECT_THROW(PixelSource(std::vector<uint8_t>(7), {2, 2}), std::invalid_argument);
}

}  // namespace
}  // namespace aekit::data
