// Training on an IDX set kept as pixel bytes gives exactly the losses and weights of training on
// the float split the loader made before (bytes / 255.0f): plain, denoising (the same noise
// draws) and a VAE (the same samples).
#include <gtest/gtest.h>

#include <cstring>

#include "data/image_dataset.h"
#include "data/pixel_source.h"
#include "io/atomic_file.h"
#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "run/run_config.h"
#include "support/fixtures.h"
#include "train/trainer.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

run::RunConfig config(const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(io::read_file(source_path("configs/" + name)));
  j["data"]["dataset"] = source_path("data/mnist");
  return run::parse_run_config(j, "test");
}

struct Trained {
  std::vector<train::EpochStats> epochs;
  std::vector<Tensor> weights;
};

// Two epochs from the same seeds over `source`, as `aekit bench` runs them.
Trained train_two_epochs(const run::RunConfig& cfg, const data::SampleSource& source) {
  models::Autoencoder model(cfg.model, source.sample_shape());
  Rng init_rng(cfg.train.seed);
  model.init(init_rng);
  auto opt = nn::make_optimizer(cfg.train.optimizer);
  Rng layer_rng(3);
  model.set_rng(&layer_rng);
  Trained t;
  for (int epoch = 1; epoch <= 2; ++epoch) {
    Rng shuffle_rng(epoch);
    t.epochs.push_back(train::train_epoch(model, *opt, cfg, source, shuffle_rng, nullptr, epoch, cfg.data.noise));
  }
  for (const nn::Param& p : model.params()) t.weights.push_back(*p.value);
  return t;
}

void expect_same_training(const std::string& config_name) {
  const run::RunConfig cfg = config(config_name);
  const data::PixelSet pixels = data::take(data::load_pixel_split(source_path("data/mnist"), "train"), 1500);
  // The float split as the loader made it before: x[i] = px[i] / 255.0f.
  Tensor floats({1500, 1, 28, 28});
  for (int64_t i = 0; i < floats.size(); ++i) floats[i] = pixels.x.sample(0)[i] / 255.0f;
  const Trained a = train_two_epochs(cfg, pixels.x), b = train_two_epochs(cfg, data::TensorSource(floats));
  ASSERT_EQ(a.epochs.size(), b.epochs.size());
  for (size_t e = 0; e < a.epochs.size(); ++e) {
    EXPECT_EQ(a.epochs[e].total, b.epochs[e].total) << "epoch " << e + 1;
    EXPECT_EQ(a.epochs[e].recon, b.epochs[e].recon) << "epoch " << e + 1;
    EXPECT_EQ(a.epochs[e].kl, b.epochs[e].kl) << "epoch " << e + 1;
    EXPECT_EQ(a.epochs[e].samples, 1500);
  }
  EXPECT_GT(a.epochs[0].total, a.epochs[1].total);  // it trained
  ASSERT_EQ(a.weights.size(), b.weights.size());
  for (size_t i = 0; i < a.weights.size(); ++i) {
    ASSERT_EQ(a.weights[i].size(), b.weights[i].size());
    EXPECT_EQ(std::memcmp(a.weights[i].data(), b.weights[i].data(), a.weights[i].size() * sizeof(float)), 0)
        << "parameter " << i;
  }
}

TEST(PixelTraining, DenseAutoencoderMatchesTheFloatSplit) { expect_same_training("vanilla_mnist.json"); }

TEST(PixelTraining, DenoisingDrawsTheSameNoise) { expect_same_training("denoise_dense_mnist.json"); }

TEST(PixelTraining, VaeMatchesTheFloatSplit) { expect_same_training("vae_mnist.json"); }

}  // namespace
