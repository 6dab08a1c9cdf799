#include "data/image_dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <optional>

#include "data_test_util.h"

namespace aekit::data {
namespace {

using datatest::counting_bytes;
using datatest::expect_input_error;
using datatest::gzip;
using datatest::idx_file;
using datatest::repo_file;
using datatest::TempDir;
using datatest::write_file;

// Sets (or unsets, for nullopt) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::array<int, 10> histogram(const std::vector<int>& labels) {
  std::array<int, 10> h{};
  for (int l : labels) {
    EXPECT_TRUE(l >= 0 && l < 10) << l;
    if (l >= 0 && l < 10) ++h[l];
  }
  return h;
}

TEST(DataImages, LoadsImagesScaledToUnitRangeWithLabels) {
  TempDir tmp;
  // 2 images of 2x3 pixels: 0, 255 and a mid value.
  const std::string px = {0, 51, static_cast<char>(255), 10, 20, 30, 1, 2, 3, 4, 5,
                          static_cast<char>(128)};
  const auto images = write_file(tmp.path("imgs"), idx_file(0x08, {2, 2, 3}, px));
  const auto labels = write_file(tmp.path("labs.gz"), gzip(idx_file(0x08, {2}, {7, 3})));
  const ImageSet set = load_idx_images(images, labels);
  EXPECT_EQ(set.x.shape(), (Shape{2, 1, 2, 3}));
  EXPECT_EQ(set.size(), 2);
  EXPECT_EQ(set.x[0], 0.0f);
  EXPECT_EQ(set.x[1], 0.2f);
  EXPECT_EQ(set.x[2], 1.0f);
  EXPECT_FLOAT_EQ(set.x[11], 128.0f / 255.0f);
  EXPECT_EQ(set.labels, (std::vector<int>{7, 3}));
  EXPECT_EQ(set.source, images);
}

TEST(DataImages, LabelsAreOptional) {
  TempDir tmp;
  const auto images = write_file(tmp.path("i"), idx_file(0x08, {3, 2, 2}, counting_bytes(12)));
  const ImageSet set = load_idx_images(images, "");
  EXPECT_EQ(set.size(), 3);
  EXPECT_TRUE(set.labels.empty());
}

TEST(DataImages, RejectsLabelCountMismatch) {
  TempDir tmp;
  const auto images = write_file(tmp.path("i"), idx_file(0x08, {3, 2, 2}, counting_bytes(12)));
  const auto labels = write_file(tmp.path("l"), idx_file(0x08, {2}, {1, 2}));
  expect_input_error([&] { load_idx_images(images, labels); },
                     {labels + ": label count mismatch: 2 labels for 3 images"});
}

TEST(DataImages, RejectsLabelsOutsideTheTenClasses) {
  TempDir tmp;
  const auto images = write_file(tmp.path("i"), idx_file(0x08, {3, 2, 2}, counting_bytes(12)));
  const auto nine = write_file(tmp.path("ok"), idx_file(0x08, {3}, {0, 9, 4}));
  EXPECT_EQ(load_idx_images(images, nine).labels, (std::vector<int>{0, 9, 4}));
  const auto big = write_file(tmp.path("l"), idx_file(0x08, {3}, {1, static_cast<char>(200), 3}));
  expect_input_error([&] { load_idx_images(images, big); },
                     {big + ": label 200 of sample 1 is outside the classes 0-9"});
  const auto ten = write_file(tmp.path("l10"), idx_file(0x08, {3}, {1, 2, 10}));
  expect_input_error([&] { load_idx_images(images, ten); }, {ten + ": label 10 of sample 2"});
}

TEST(DataImages, RejectsWrongRanks) {
  TempDir tmp;
  const auto flat = write_file(tmp.path("flat"), idx_file(0x08, {3, 4}, counting_bytes(12)));
  expect_input_error([&] { load_idx_images(flat, ""); }, {flat + ": expected 3-D"});
  const auto images = write_file(tmp.path("i"), idx_file(0x08, {3, 2, 2}, counting_bytes(12)));
  const auto labels = write_file(tmp.path("l"), idx_file(0x08, {3, 1}, {1, 2, 3}));
  expect_input_error([&] { load_idx_images(images, labels); }, {labels + ": expected 1-D"});
}

TEST(DataImages, SplitFindsRawAndGzipFiles) {
  TempDir tmp;
  write_file(tmp.path("train-images-idx3-ubyte"), idx_file(0x08, {4, 2, 2}, counting_bytes(16)));
  write_file(tmp.path("train-labels-idx1-ubyte"), idx_file(0x08, {4}, {0, 1, 2, 3}));
  write_file(tmp.path("t10k-images-idx3-ubyte.gz"),
             gzip(idx_file(0x08, {2, 2, 2}, counting_bytes(8))));
  write_file(tmp.path("t10k-labels-idx1-ubyte.gz"), gzip(idx_file(0x08, {2}, {9, 8})));
  const ImageSet train = load_image_split(tmp.str(), "train");
  EXPECT_EQ(train.x.shape(), (Shape{4, 1, 2, 2}));
  EXPECT_EQ(train.labels, (std::vector<int>{0, 1, 2, 3}));
  const ImageSet test = load_image_split(tmp.str(), "test");
  EXPECT_EQ(test.x.shape(), (Shape{2, 1, 2, 2}));
  EXPECT_EQ(test.labels, (std::vector<int>{9, 8}));
}

TEST(DataImages, SplitErrors) {
  TempDir tmp;
  expect_input_error([&] { load_image_split(tmp.str(), "train"); },
                     {tmp.str() + ": no train-images-idx3-ubyte[.gz] found"});
  expect_input_error([&] { load_image_split(tmp.str(), "test"); },
                     {tmp.str() + ": no t10k-images-idx3-ubyte[.gz] found"});
  expect_input_error([&] { load_image_split(tmp.str(), "valid"); }, {"'valid'", "split"});
  const auto gone = tmp.path("gone");
  expect_input_error([&] { load_image_split(gone, "train"); }, {gone + ": no such folder"});
}

TEST(DataImages, VendoredMnistTestSplit) {
  const ImageSet set = load_image_split(repo_file("data/mnist"), "test");
  ASSERT_EQ(set.x.shape(), (Shape{10000, 1, 28, 28}));
  const auto [lo, hi] = std::minmax_element(set.x.begin(), set.x.end());
  EXPECT_EQ(*lo, 0.0f);
  EXPECT_EQ(*hi, 1.0f);
  // Published mean pixel value of the test set: 33.791 on the 0..255 scale.
  const double mean = std::accumulate(set.x.begin(), set.x.end(), 0.0) / set.x.size();
  EXPECT_NEAR(mean * 255.0, 33.791, 0.001);
  EXPECT_EQ(histogram(set.labels),
            (std::array<int, 10>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}));
}

TEST(DataImages, VendoredMnistTrainSplit) {
  const ImageSet set = load_image_split(repo_file("data/mnist"), "train");
  ASSERT_EQ(set.x.shape(), (Shape{60000, 1, 28, 28}));
  const double mean = std::accumulate(set.x.begin(), set.x.end(), 0.0) / set.x.size();
  EXPECT_NEAR(mean * 255.0, 33.318, 0.001);
  EXPECT_EQ(histogram(set.labels),
            (std::array<int, 10>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}));
}

TEST(DataImages, ResolvesFolderPathsAsThemselves) {
  TempDir tmp;
  EXPECT_EQ(resolve_dataset_dir(tmp.str()), tmp.str());
  const auto gone = tmp.path("gone");
  expect_input_error([&] { resolve_dataset_dir(gone); }, {gone + ": no such dataset folder"});
}

TEST(DataImages, ResolvesMnistFromDataDirVariable) {
  TempDir tmp;
  std::filesystem::create_directory(tmp.path("mnist"));
  ScopedEnv env("AEKIT_DATA_DIR", tmp.str());
  EXPECT_TRUE(std::filesystem::equivalent(resolve_dataset_dir("mnist"), tmp.path("mnist")));
}

TEST(DataImages, DataDirVariableWithoutMnistIsAnError) {
  TempDir tmp;
  ScopedEnv env("AEKIT_DATA_DIR", tmp.str());
  expect_input_error([] { resolve_dataset_dir("mnist"); }, {"mnist: ", "AEKIT_DATA_DIR"});
}

TEST(DataImages, ResolvesMnistToTheVendoredCopy) {
  // Found next to the build folder (<repo>/build/<exe> -> <repo>/data/mnist) or via the
  // compile-time source dir.
  ScopedEnv env("AEKIT_DATA_DIR", std::nullopt);
  EXPECT_TRUE(std::filesystem::equivalent(resolve_dataset_dir("mnist"), repo_file("data/mnist")));
}

TEST(DataImages, FashionMnistWhenInstalled) {
  if (!std::filesystem::is_directory("/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "package dataset-fashion-mnist not installed";
  const ImageSet set = load_image_split(resolve_dataset_dir("fashion-mnist"), "test");
  ASSERT_EQ(set.x.shape(), (Shape{10000, 1, 28, 28}));
  std::array<int, 10> balanced;
  balanced.fill(1000);
  EXPECT_EQ(histogram(set.labels), balanced);
}

ImageSet small_set() {
  ImageSet set;
  set.x = Tensor({4, 1, 1, 2}, {0, 1, 10, 11, 20, 21, 30, 31});
  set.labels = {5, 6, 7, 8};
  set.source = "small";
  return set;
}

TEST(DataImages, TakeFirstSamples) {
  const ImageSet first = take(small_set(), 3);
  EXPECT_EQ(first.x.shape(), (Shape{3, 1, 1, 2}));
  EXPECT_EQ(first.x.to_vector(), (std::vector<float>{0, 1, 10, 11, 20, 21}));
  EXPECT_EQ(first.labels, (std::vector<int>{5, 6, 7}));
  EXPECT_EQ(first.source, "small");
  EXPECT_EQ(take(small_set(), 100).size(), 4);  // more than there is: everything
  EXPECT_EQ(take(small_set(), 0).size(), 0);
  expect_input_error([] { take(small_set(), -1); }, {"-1"});
}

TEST(DataImages, SubsetInGivenOrder) {
  const ImageSet picked = subset(small_set(), {3, 0, 3});
  EXPECT_EQ(picked.x.shape(), (Shape{3, 1, 1, 2}));
  EXPECT_EQ(picked.x.to_vector(), (std::vector<float>{30, 31, 0, 1, 30, 31}));
  EXPECT_EQ(picked.labels, (std::vector<int>{8, 5, 8}));
  EXPECT_THROW(subset(small_set(), {4}), std::out_of_range);
}

}  // namespace
}  // namespace aekit::data
