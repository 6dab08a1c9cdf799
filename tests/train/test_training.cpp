// Training end to end on the vendored MNIST files: a small run learns, checkpoints round-trip
// bit for bit, and an interrupted-then-resumed run ends with exactly the uninterrupted weights.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "models/autoencoder.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/temp_dir.h"
#include "tensor/error.h"
#include "run/checkpoint.h"
#include "train/trainer.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

run::RunConfig small_config(int epochs) {
  nlohmann::json j = nlohmann::json::parse(io::read_file(source_path("configs/vanilla_mnist.json")));
  j["data"]["dataset"] = source_path("data/mnist");
  j["data"]["train_limit"] = 4096;
  j["data"]["test_limit"] = 1000;
  j["train"]["epochs"] = epochs;
  return run::parse_run_config(j, "test");
}

train::TrainOptions options(const std::string& dir) {
  train::TrainOptions o;
  o.out_dir = dir;
  o.quiet = true;
  return o;
}

bool same_bytes(const std::string& a, const std::string& b) { return io::read_file(a) == io::read_file(b); }

TEST(Training, SmallRunOnRealMnistLearns) {
  ScratchDir dir;
  train::TrainResult r = train::train(small_config(4), options(dir.str()));
  EXPECT_EQ(r.epochs_done, 4);
  // Predicting every pixel as the data mean gives ~0.067 on MNIST; a working AE gets far below.
  EXPECT_LT(r.val_loss, 0.03);
  EXPECT_TRUE(std::filesystem::exists(dir / "model.safetensors"));
  EXPECT_TRUE(std::filesystem::exists(dir / "metrics.csv"));
  const std::string csv = io::read_file(dir / "metrics.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header + 4 epochs
}

TEST(Training, ResumeEqualsUninterrupted) {
  ScratchDir straight, resumed;
  train::train(small_config(3), options(straight.str()));
  train::train(small_config(1), options(resumed.str()));
  train::TrainOptions o = options(resumed.str());
  o.resume = true;
  train::train(small_config(3), o);
  EXPECT_TRUE(same_bytes(straight / "model.safetensors", resumed / "model.safetensors"));
  EXPECT_EQ(io::read_file(straight / "metrics.csv").substr(0, 40), io::read_file(resumed / "metrics.csv").substr(0, 40));
}

TEST(Training, SameSeedSameWeightsOtherSeedOtherWeights) {
  ScratchDir a, b, c;
  train::train(small_config(1), options(a.str()));
  train::train(small_config(1), options(b.str()));
  run::RunConfig other = small_config(1);
  run::set_seed(other, 7);
  train::train(other, options(c.str()));
  EXPECT_TRUE(same_bytes(a / "model.safetensors", b / "model.safetensors"));
  EXPECT_FALSE(same_bytes(a / "model.safetensors", c / "model.safetensors"));
}

TEST(Checkpoint, RoundTripIsBitExact) {
  ScratchDir dir;
  run::RunConfig cfg = small_config(1);
  models::Autoencoder a(cfg.model, {1, 28, 28}), b(cfg.model, {1, 28, 28});
  Rng rng(3);
  a.init(rng);
  auto opt_a = nn::make_optimizer(cfg.train.optimizer), opt_b = nn::make_optimizer(cfg.train.optimizer);
  // Take two real steps so the optimizer has non-trivial moments.
  Tensor x = random_tensor({8, 1, 28, 28}, 5);
  for (int i = 0; i < 2; ++i) {
    a.train_step(x, x);
    opt_a->step(a.params());
  }
  run::TrainState s;
  s.epochs_done = 2;
  s.history.push_back({{"epoch", 1}});
  run::save_checkpoint(dir / "c.safetensors", cfg.to_json(), a, *opt_a, s);
  nlohmann::json stored;
  run::TrainState t = run::load_checkpoint(dir / "c.safetensors", b.params(), *opt_b, &stored);
  EXPECT_EQ(t.epochs_done, 2);
  EXPECT_EQ(t.history, s.history);
  EXPECT_EQ(stored, cfg.to_json());
  EXPECT_EQ(opt_b->steps(), 2);
  auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i)
    EXPECT_EQ(std::memcmp(pa[i].value->data(), pb[i].value->data(), pa[i].value->size() * 4), 0) << pa[i].name;
  auto sa = opt_a->state(pa), sb = opt_b->state(pb);
  for (const auto& [name, t] : sa) EXPECT_EQ(std::memcmp(t->data(), sb[name]->data(), t->size() * 4), 0) << name;
}

TEST(Checkpoint, MismatchedModelIsAClearError) {
  ScratchDir dir;
  run::RunConfig cfg = small_config(1);
  models::Autoencoder a(cfg.model, {1, 28, 28});
  run::save_weights(dir / "w.safetensors", a);
  nlohmann::json other = cfg.model;
  other["encoder"][0]["units"] = 64;
  models::Autoencoder b(other, {1, 28, 28});
  try {
    run::load_weights(dir / "w.safetensors", b.params());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("encoder.0.weight' has shape [128,784], the model needs [64,784]"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
