// Commands that inspect a trained model (weights, activity, score) on a briefly trained vanilla
// autoencoder.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "io/atomic_file.h"

#include "draw/png.h"
#include "support/fixtures.h"
#include "support/run_cli.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// One short epoch of a config (default the 784-128-784 model) on 512 vendored MNIST images.
std::string train_tiny(const ScratchDir& d, const std::string& config = "vanilla_mnist",
                       const std::string& name = "run") {
  const std::string run = d / name;
  CliResult r = run_aekit("train --config " + source_path("configs/" + config + ".json") + " --data " +
                              source_path("data/mnist") + " --limit 512 --epochs 1 --quiet --no-figures --out " + run,
                          d);
  EXPECT_EQ(r.code, 0) << r.err;
  return run;
}

TEST(CliTrainedRun, WeightsDrawsOneTilePerEncoderUnit) {
  ScratchDir d;
  const std::string run = train_tiny(d);
  CliResult r = run_aekit("weights --run " + run + " --cols 16 --scale 1", d);
  ASSERT_EQ(r.code, 0) << r.err;
  const draw::Image img = draw::read_png(run + "/encoder_weights.png");
  EXPECT_EQ(img.width, 16 * 28 + 17);  // 128 units: 16 per row, 1-pixel gaps
  EXPECT_EQ(img.height, 8 * 28 + 9);
  EXPECT_NE(r.out.find("128 units as 28x28 tiles"), std::string::npos) << r.out;

  CliResult bad = run_aekit("weights --run " + run + " --layer 3", d);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("no dense layer number 3"), std::string::npos) << bad.err;
}

TEST(CliTrainedRun, ActivityReportsTheCodeStatistics) {
  ScratchDir d;
  const std::string run = train_tiny(d);
  CliResult r = run_aekit("activity --run " + run, d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("code units 128"), std::string::npos) << r.out;
  const auto at = r.out.find("mean_activation ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::stod(r.out.substr(at + 16)), 0.0);  // a ReLU code of a trained model is not all zero
  EXPECT_TRUE(std::filesystem::exists(run + "/code_activity.txt"));
}

TEST(CliTrainedRun, ScoreMetricsWriteOneRowPerTestImageAndAnAuc) {
  ScratchDir d;
  const std::string run = train_tiny(d);
  for (const std::string metric : {"loss", "mse", "relative"}) {
    CliResult r = run_aekit("score --run " + run + " --anomaly-labels 7 --metric " + metric + " --out " +
                                (d / ("s_" + metric + ".csv")),
                            d);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("metric " + metric), std::string::npos) << r.out;
    const auto at = r.out.find("roc_auc ");
    ASSERT_NE(at, std::string::npos) << r.out;
    const double auc = std::stod(r.out.substr(at + 8));
    EXPECT_GE(auc, 0.0);
    EXPECT_LE(auc, 1.0);
    const std::string csv = io::read_file(d / ("s_" + metric + ".csv"));
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 10001);  // header + the 10,000 test images
  }
  EXPECT_NE(io::read_file(d / "s_mse.csv"), io::read_file(d / "s_relative.csv"));
  EXPECT_EQ(run_aekit("score --run " + run + " --metric psnr", d).code, 2);
}

TEST(CliTrainedRun, ReconstructComparesSeveralModelsInOneFigure) {
  ScratchDir d;
  const std::string a = train_tiny(d), b = train_tiny(d, "sparse_l1_mnist", "sparse");
  CliResult r = run_aekit("reconstruct --run " + a + " --run " + b + " --n 6 --out " + (d / "both.png"), d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("vanilla_mnist ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sparse_l1_mnist ("), std::string::npos) << r.out;
  const draw::Image img = draw::read_png(d / "both.png");
  EXPECT_GT(img.height, 3 * 2 * 28);  // three rows of 2x-scaled 28-pixel images
  EXPECT_GT(img.width, 6 * 2 * 28);
}

TEST(CliTrainedRun, EvalOfADenoisingRunScoresNoisyInputsAgainstCleanTargetsLikeValidation) {
  ScratchDir d;
  const std::string run = d / "run";
  ASSERT_EQ(run_aekit("train --config " + source_path("configs/denoise_dense_mnist.json") + " --data " +
                          source_path("data/mnist") + " --limit 256 --epochs 1 --quiet --no-figures --out " + run,
                      d)
                .code,
            0);
  const std::string metrics = io::read_file(run + "/metrics.csv");
  const std::string row = metrics.substr(metrics.find('\n') + 1);
  std::vector<std::string> cols;
  for (size_t at = 0, next; at <= row.size(); at = next + 1) {
    next = std::min(row.find_first_of(",\n", at), row.size());
    cols.push_back(row.substr(at, next - at));
  }
  ASSERT_GE(cols.size(), 7u);
  const double val_loss = std::stod(cols[6]);  // epoch,train_loss,...,val_loss (7th column)
  CliResult r = run_aekit("eval --run " + run, d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("targets clean"), std::string::npos) << r.out;
  const double test_loss = std::stod(r.out.substr(r.out.find("test_loss ") + 10));
  EXPECT_NEAR(test_loss, val_loss, 1e-6 * val_loss);
}

}  // namespace
