// The stable facade (include/aekit/aekit.h): training with a progress callback and a stop flag,
// batch calls agreeing with each other and with the one-sample encoder, errors as aekit::Error.
#include <aekit/aekit.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>

#include "support/fixtures.h"
#include "support/temp_dir.h"

using aekit::testing::ScratchDir;
using aekit::testing::source_path;

namespace {

aekit::TrainSettings tiny(const ScratchDir& d, int epochs) {
  aekit::TrainSettings s;
  s.config = source_path("configs/vanilla_mnist.json");
  s.data = source_path("data/mnist");
  s.out_dir = d / "run";
  s.limit = 256;
  s.epochs = epochs;
  return s;
}

TEST(Facade, TrainReportsEachEpochAndStopsOnTheFlag) {
  ScratchDir d;
  aekit::TrainSettings s = tiny(d, 3);
  std::atomic<bool> stop{false};
  std::vector<aekit::TrainProgress> seen;
  s.stop = &stop;
  s.on_epoch = [&](const aekit::TrainProgress& p) {
    seen.push_back(p);
    if (p.epoch == 2) stop = true;
  };
  const aekit::TrainSummary r = aekit::train_run(s);
  ASSERT_EQ(seen.size(), 2u);  // epoch 3 never starts
  EXPECT_EQ(seen[0].epoch, 1);
  EXPECT_EQ(seen[1].epoch, 2);
  EXPECT_EQ(seen[1].epochs, 3);
  EXPECT_TRUE(std::isfinite(seen[1].train_loss) && seen[1].train_loss > 0);
  EXPECT_EQ(r.epochs_done, 2);
  EXPECT_TRUE(r.stopped);
  EXPECT_DOUBLE_EQ(r.val_loss, seen[1].val_loss);
  EXPECT_TRUE(std::filesystem::exists(d / "run/model.safetensors"));
}

TEST(Facade, BatchCallsAgreeAndTheFrozenEncoderMatches) {
  ScratchDir d;
  aekit::train_run(tiny(d, 1));
  aekit::Model m = aekit::Model::load(d / "run");
  ASSERT_EQ(m.input_size(), 784);
  ASSERT_EQ(m.code_size(), 128);
  EXPECT_FALSE(m.is_vae());
  const int64_t n = 3;
  std::vector<float> x(n * 784);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 255) / 255.0f;
  const auto z = m.encode(x, n);
  const auto y = m.decode(z, n);
  const auto r = m.reconstruct(x, n);
  const auto s = m.score(x, n);
  ASSERT_EQ(z.size(), size_t(n * 128));
  ASSERT_EQ(r.size(), x.size());
  for (size_t i = 0; i < r.size(); ++i) ASSERT_FLOAT_EQ(y[i], r[i]);
  for (int64_t i = 0; i < n; ++i) {
    double mse = 0;
    for (int64_t j = 0; j < 784; ++j) mse += (r[i * 784 + j] - x[i * 784 + j]) * (r[i * 784 + j] - x[i * 784 + j]);
    EXPECT_NEAR(s[i], mse / 784, 1e-6);
  }
  aekit::Encoder one = m.freeze();
  for (int64_t i = 0; i < n; ++i) {
    auto c = one.encode(std::span<const float>(x).subspan(i * 784, 784));
    for (int64_t j = 0; j < 128; ++j) EXPECT_NEAR(c[j], z[i * 128 + j], 1e-4);
  }
}

TEST(Facade, ErrorsNameTheFileAndTheProblem) {
  ScratchDir d;
  try {
    aekit::Model::load(d / "missing");
    FAIL() << "no error";
  } catch (const aekit::Error& e) {
    EXPECT_EQ(e.file(), d / "missing");
    EXPECT_NE(e.problem().find("no such run folder"), std::string::npos) << e.problem();
  }
  aekit::TrainSettings s = tiny(d, 1);
  s.config = d / "nope.json";
  EXPECT_THROW(aekit::train_run(s), aekit::Error);

  aekit::train_run(tiny(d, 1));
  aekit::Model m = aekit::Model::load(d / "run");
  EXPECT_THROW(m.encode(std::vector<float>(785), 1), aekit::Error);
  std::vector<float> nan(784, 0.5f);
  nan[3] = std::nanf("");
  EXPECT_THROW(m.reconstruct(nan, 1), aekit::Error);
  EXPECT_THROW(m.decode(std::vector<float>(128), 0), aekit::Error);
}

}  // namespace
