// Training and evaluating in bf16 (train.precision, kernels/precision.h): a small model learns as
// well as in fp32, the run records its precision, and checkpoints are fp32 and serve either
// precision. Skipped on a CPU without native bf16 (tests/cli/test_cli_precision.cpp covers the
// fallback there).
#include <gtest/gtest.h>

#include <cmath>

#include "data/image_dataset.h"
#include "eval/evaluate.h"
#include "io/atomic_file.h"
#include "kernels/precision.h"
#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "run/load_run.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/temp_dir.h"
#include "train/trainer.h"

using namespace aekit;
using namespace aekit::testing;
using kernels::Precision;

namespace {

#define REQUIRE_BF16() \
  if (!kernels::cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16"

run::RunConfig small_config(Precision p) {
  nlohmann::json j = nlohmann::json::parse(io::read_file(source_path("configs/vanilla_mnist.json")));
  j["data"]["dataset"] = source_path("data/mnist");
  j["data"]["train_limit"] = 4096;
  j["data"]["test_limit"] = 1000;
  j["train"]["epochs"] = 3;
  j["train"]["precision"] = kernels::precision_name(p);
  return run::parse_run_config(j, "test");
}

train::TrainOptions options(const std::string& dir) {
  train::TrainOptions o;
  o.out_dir = dir;
  o.quiet = true;
  return o;
}

double relative(double a, double b) { return std::abs(a - b) / std::abs(b); }

TEST(Bf16Training, DenseRunLearnsAsFp32DoesAndRecordsItsPrecision) {
  REQUIRE_BF16();
  ScratchDir d32, d16;
  const train::TrainResult r32 = train::train(small_config(Precision::fp32), options(d32.str()));
  const train::TrainResult r16 = train::train(small_config(Precision::bf16), options(d16.str()));
  EXPECT_LT(relative(r16.val_loss, r32.val_loss), 0.03) << "bf16 " << r16.val_loss << " fp32 " << r32.val_loss;
  EXPECT_NE(r16.val_loss, r32.val_loss) << "bf16 asked for, fp32 ran";
  EXPECT_EQ(run::load_run_config(d16 / "config.json").train.precision, Precision::bf16);
  EXPECT_EQ(run::load_run_config(d32 / "config.json").train.precision, Precision::fp32);
}

TEST(Bf16Training, CheckpointsAreFp32AndServeEitherPrecision) {
  REQUIRE_BF16();
  const Tensor test = data::load_image_split(source_path("data/mnist"), "test").x;
  for (Precision trained : {Precision::fp32, Precision::bf16}) {
    SCOPED_TRACE(kernels::precision_name(trained));
    ScratchDir dir;
    train::train(small_config(trained), options(dir.str()));
    run::LoadedRun r = run::load_run(dir.str());
    double loss[2];
    for (Precision p : {Precision::fp32, Precision::bf16}) {
      const kernels::PrecisionScope scope(p, "testing");
      loss[p == Precision::bf16] = eval::split_loss(*r.model, test).loss;
    }
    EXPECT_LT(relative(loss[1], loss[0]), 0.01) << "bf16 " << loss[1] << " fp32 " << loss[0];
    EXPECT_NE(loss[1], loss[0]);
  }
}

// The recurrent products reuse one bf16 copy of W_hh per pass (Gemm::b_version): a sequence
// model trains under bf16 along the same path as in fp32.
TEST(Bf16Training, SequenceModelTrainsAsInFp32) {
  REQUIRE_BF16();
  const nlohmann::json model = nlohmann::json::parse(R"({
    "encoder": [{"type": "bidirectional", "merge": "sum", "layer": {"type": "lstm", "units": 64}}],
    "decoder": [{"type": "repeat_vector", "n": 12},
                {"type": "bidirectional", "merge": "sum", "layer": {"type": "lstm", "units": 16, "return_sequences": true}}],
    "loss": {"type": "mse", "reduction": "mean"}, "init": "keras"})");
  const Tensor x = random_tensor({32, 12, 16}, 9, 0.5f);
  double last[2];
  for (Precision p : {Precision::fp32, Precision::bf16}) {
    const kernels::PrecisionScope scope(p, "testing");
    models::Autoencoder ae(model, {12, 16});
    Rng rng(1);
    ae.init(rng);
    nn::OptimizerSpec spec;
    spec.type = "adam";
    spec.lr = 0.01;
    auto opt = nn::make_optimizer(spec);
    double first = 0;
    for (int step = 0; step < 40; ++step) {
      const double loss = ae.train_step(x, x).total();
      if (step == 0) first = loss;
      last[p == Precision::bf16] = loss;
      opt->step(ae.params());
    }
    EXPECT_LT(last[p == Precision::bf16], 0.8 * first) << kernels::precision_name(p);
  }
  EXPECT_LT(relative(last[1], last[0]), 0.05) << "bf16 " << last[1] << " fp32 " << last[0];
  EXPECT_NE(last[1], last[0]);
}

}  // namespace
