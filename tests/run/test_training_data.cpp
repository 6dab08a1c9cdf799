// What training loads from an IDX image set: the training split as pixel bytes, narrowed by
// train_limit and exclude_labels exactly as the float split other commands load.
#include <gtest/gtest.h>

#include <algorithm>

#include "io/atomic_file.h"
#include "run/run_data.h"
#include "support/fixtures.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

run::RunConfig mnist_config(int64_t train_limit, std::vector<int64_t> exclude) {
  nlohmann::json j = nlohmann::json::parse(io::read_file(source_path("configs/vanilla_mnist.json")));
  j["data"]["dataset"] = source_path("data/mnist");
  j["data"]["train_limit"] = train_limit;
  j["data"]["test_limit"] = 100;
  j["data"]["exclude_labels"] = exclude;
  return run::parse_run_config(j, "test");
}

TEST(TrainingData, IdxTrainingSplitIsKeptAsPixelBytes) {
  const run::RunConfig cfg = mnist_config(3000, {7});
  const run::RunData floats = run::load_run_data(cfg), pixels = run::load_training_data(cfg);
  ASSERT_TRUE(pixels.train_pixels.has_value());
  EXPECT_FALSE(floats.train_pixels.has_value());
  EXPECT_TRUE(pixels.train.x.empty());
  const data::PixelSet& p = *pixels.train_pixels;
  ASSERT_EQ(p.size(), floats.train.size());
  EXPECT_LT(p.size(), 3000);  // the 7s are gone
  EXPECT_EQ(p.labels, floats.train.labels);
  EXPECT_EQ(std::count(p.labels.begin(), p.labels.end(), 7), 0);
  const Tensor x = p.x.to_tensor();
  ASSERT_EQ(x.shape(), floats.train.x.shape());
  for (int64_t i = 0; i < x.size(); ++i) ASSERT_EQ(x[i], floats.train.x[i]) << i;
  // The test split stays as floats: validation and the figures read it whole.
  EXPECT_EQ(pixels.test.x.shape(), floats.test.x.shape());
}

TEST(TrainingData, OtherKindsLoadAsBefore) {
  nlohmann::json j = nlohmann::json::parse(io::read_file(source_path("configs/beta1_vae_shapes.json")));
  j["data"]["train_size"] = 50;
  j["data"]["test_size"] = 10;
  const run::RunConfig cfg = run::parse_run_config(j, "test");
  const run::RunData d = run::load_training_data(cfg);
  EXPECT_FALSE(d.train_pixels.has_value());
  EXPECT_EQ(d.train.size(), 50);
}

}  // namespace
