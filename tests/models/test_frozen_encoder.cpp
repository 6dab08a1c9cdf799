// models::FrozenEncoder gives the codes Autoencoder::encode gives (up to the order of additions)
// for the encoders it accepts: model 1's VAE, a deep stack with batch norm folded into dense
// layers, stand-alone activations, unfolded batch norm and dropout, widths that are not multiples
// of a vector, a layer wider than one block; inputs dense, sparse, all zero; one or two threads.
// It is a snapshot (later weight changes are not seen), propagates NaN, and names the layer it
// cannot freeze.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "kernels/dnnl_context.h"
#include "models/frozen_encoder.h"
#include "tensor/error.h"
#include "tensor/rng.h"

using namespace aekit;
using json = nlohmann::json;

namespace {

const char* kModel1 = R"({"encoder": [{"type": "dense", "units": 400, "activation": "relu"}],
  "vae": {"latent": 20},
  "decoder": [{"type": "dense", "units": 400, "activation": "relu"}, {"type": "dense", "units": 784, "activation": "sigmoid"}],
  "loss": {"type": "bce", "reduction": "sum"}, "init": "pytorch"})";

// Every kind of step: batch norm folded (dense linear -> batch_norm -> relu), batch norm that
// cannot be folded (after a relu dense), leaky_relu / sigmoid / tanh, dropout, a dense layer
// without bias, 1000 units (more vectors than one block's registers), odd widths.
const char* kDeep = R"({"encoder": [
    {"type": "flatten"}, {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 1000}, {"type": "batch_norm"}, {"type": "relu"},
    {"type": "dense", "units": 37, "activation": "relu"}, {"type": "batch_norm"},
    {"type": "dense", "units": 29, "activation": "leaky_relu", "alpha": 0.1}, {"type": "activity_l1"},
    {"type": "dense", "units": 23, "use_bias": false}, {"type": "sigmoid"}, {"type": "dropout", "rate": 0.5},
    {"type": "dense", "units": 19, "activation": "tanh"}],
  "vae": {"latent": 3},
  "decoder": [{"type": "dense", "units": 784, "activation": "sigmoid"}],
  "loss": {"type": "bce", "reduction": "sum"}, "init": "keras"})";

const char* kPlain = R"({"encoder": [{"type": "dense", "units": 64, "activation": "relu"}, {"type": "dense", "units": 2}],
  "decoder": [{"type": "dense", "units": 784, "activation": "sigmoid"}],
  "loss": {"type": "mse", "reduction": "mean"}, "init": "keras"})";

models::Autoencoder make_model(const char* cfg, uint64_t seed) {
  models::Autoencoder model(json::parse(cfg), {1, 28, 28});
  Rng rng(seed);
  model.init(rng);
  // Batch-norm statistics and affine parameters away from their initial identity.
  for (nn::Param& p : model.params()) {
    const std::string& name = p.name;
    auto ends_with = [&](const std::string& s) { return name.size() >= s.size() && name.ends_with(s); };
    if (name.find("running_var") != std::string::npos) {
      for (float& v : *p.value) v = 0.5f + rng.uniform();
    } else if (name.find("running_mean") != std::string::npos || (p.value->rank() == 1 && ends_with("weight"))) {
      for (float& v : *p.value) v = 2 * rng.uniform() - 1;
    }
  }
  return model;
}

// An image-like input: `density` of the pixels in (0, 1], the rest exactly 0.
Tensor image(double density, Rng& rng) {
  Tensor x({1, 1, 28, 28});
  for (float& v : x) v = rng.uniform() < density ? rng.uniform() : 0.0f;
  return x;
}

void expect_same_codes(models::Autoencoder& model, models::FrozenEncoder& frozen, Rng& rng, const std::string& what) {
  ASSERT_EQ(frozen.input_size(), 784);
  ASSERT_EQ(frozen.code_size(), numel(model.code_shape()));
  for (double density : {0.0, 0.02, 0.19, 0.6, 1.0}) {
    for (int rep = 0; rep < 3; ++rep) {
      const Tensor x = image(density, rng);
      const Tensor want = model.encode(x);
      const float* got = frozen.encode(x.data());
      for (int64_t j = 0; j < frozen.code_size(); ++j)
        ASSERT_NEAR(got[j], want[j], 2e-5 * (1 + std::fabs(want[j]))) << what << " density " << density << " code " << j;
    }
  }
}

TEST(FrozenEncoder, GivesTheCodesOfTheLayersForModel1) {
  for (int threads : {1, 2}) {
    kernels::ThreadScope scope(threads);
    models::Autoencoder model = make_model(kModel1, 1);
    models::FrozenEncoder frozen(model);
    ASSERT_EQ(frozen.steps().size(), 2u);
    EXPECT_EQ(frozen.steps()[0].rfind("dense 784 -> 400, relu, ", 0), 0u) << frozen.steps()[0];
    EXPECT_EQ(frozen.steps()[1], "dense 400 -> 20, 1 thread");
    Rng rng(7);
    expect_same_codes(model, frozen, rng, "model 1, threads " + std::to_string(threads));
  }
}

TEST(FrozenEncoder, FoldsBatchNormAndActivationsInADeepStack) {
  for (int threads : {1, 2}) {
    kernels::ThreadScope scope(threads);
    models::Autoencoder model = make_model(kDeep, 2);
    models::FrozenEncoder frozen(model);
    const auto steps = frozen.steps();
    // dense 1000 (+bn +relu folded), dense 37 relu, affine (bn after a relu), dense 29 leaky,
    // dense 23 (+ sigmoid after), dense 19 tanh, mu head.
    ASSERT_EQ(steps.size(), 7u);
    EXPECT_EQ(steps[0].rfind("dense 784 -> 1000, relu", 0), 0u) << steps[0];
    EXPECT_EQ(steps[2], "affine 37");
    EXPECT_NE(steps[4].find("sigmoid"), std::string::npos) << steps[4];
    EXPECT_NE(steps[5].find("tanh"), std::string::npos) << steps[5];
    Rng rng(8);
    expect_same_codes(model, frozen, rng, "deep, threads " + std::to_string(threads));
  }
}

TEST(FrozenEncoder, FreezesAPlainAutoencoder) {
  models::Autoencoder model = make_model(kPlain, 3);
  models::FrozenEncoder frozen(model);
  Rng rng(9);
  expect_same_codes(model, frozen, rng, "plain");
}

// Batch norm that cannot be folded, on per-channel data: on the image itself (1 channel of 784)
// and after a reshape to [3, 10] (3 channels of 10 values).
TEST(FrozenEncoder, AppliesUnfoldedBatchNormPerChannel) {
  models::Autoencoder model = make_model(R"({"encoder": [{"type": "batch_norm"}, {"type": "flatten"},
      {"type": "dense", "units": 30, "activation": "tanh"}, {"type": "reshape", "shape": [3, 10]}, {"type": "batch_norm"},
      {"type": "flatten"}, {"type": "dense", "units": 5}],
    "decoder": [{"type": "dense", "units": 784}], "loss": {"type": "mse"}, "init": "keras"})",
                                         7);
  models::FrozenEncoder frozen(model);
  const auto steps = frozen.steps();
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0], "affine 784");
  EXPECT_EQ(steps[2], "affine 30");
  Rng rng(12);
  expect_same_codes(model, frozen, rng, "unfolded batch norm");
}

TEST(FrozenEncoder, IsASnapshot) {
  models::Autoencoder model = make_model(kModel1, 4);
  models::FrozenEncoder frozen(model);
  Rng rng(10);
  const Tensor x = image(0.2, rng);
  const Tensor before = model.encode(x);
  for (nn::Param& p : model.params())
    for (float& v : *p.value) v *= 1.5f;
  const Tensor after = model.encode(x);
  const float* got = frozen.encode(x.data());
  double moved = 0;
  for (int64_t j = 0; j < 20; ++j) {
    EXPECT_NEAR(got[j], before[j], 2e-5 * (1 + std::fabs(before[j]))) << j;
    moved = std::max(moved, std::fabs(static_cast<double>(after[j] - before[j])));
  }
  EXPECT_GT(moved, 1e-3);  // the model did change
  models::FrozenEncoder again(model);
  const float* fresh = again.encode(x.data());
  for (int64_t j = 0; j < 20; ++j) EXPECT_NEAR(fresh[j], after[j], 2e-5 * (1 + std::fabs(after[j]))) << j;
}

// A service thread per copy: copies share the packed weights, not the scratch buffers.
TEST(FrozenEncoder, CopiesEncodeConcurrently) {
  models::Autoencoder model = make_model(kModel1, 8);
  models::FrozenEncoder frozen(model);
  Rng rng(13);
  std::vector<Tensor> inputs;
  std::vector<std::vector<float>> want;
  for (int i = 0; i < 64; ++i) {
    inputs.push_back(image(i % 2 ? 0.2 : 1.0, rng));
    const float* code = frozen.encode(inputs.back().data());
    want.emplace_back(code, code + frozen.code_size());
  }
  std::vector<models::FrozenEncoder> copies(4, frozen);
  std::vector<int> mismatches(copies.size(), 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < copies.size(); ++t)
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 50; ++rep)
        for (size_t i = 0; i < inputs.size(); ++i) {
          const float* code = copies[t].encode(inputs[(i + t) % inputs.size()].data());
          mismatches[t] += !std::equal(code, code + 20, want[(i + t) % inputs.size()].begin());
        }
    });
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < copies.size(); ++t) EXPECT_EQ(mismatches[t], 0) << "copy " << t;
}

TEST(FrozenEncoder, PropagatesNaN) {
  models::Autoencoder model = make_model(kModel1, 5);
  models::FrozenEncoder frozen(model);
  Rng rng(11);
  Tensor x = image(0.2, rng);
  x[300] = std::numeric_limits<float>::quiet_NaN();
  const Tensor& want = model.encode(x);
  const float* got = frozen.encode(x.data());
  for (int64_t j = 0; j < 20; ++j) {
    EXPECT_TRUE(std::isnan(want[j])) << j;
    EXPECT_TRUE(std::isnan(got[j])) << j;
  }
}

TEST(FrozenEncoder, NamesTheLayerItCannotFreeze) {
  models::Autoencoder conv(json::parse(R"({"encoder": [{"type": "flatten"}, {"type": "reshape", "shape": [1, 28, 28]},
      {"type": "conv2d", "filters": 4, "kernel": 3, "padding": "same"}, {"type": "flatten"}],
    "decoder": [{"type": "dense", "units": 784}], "loss": {"type": "mse"}})"),
                           {1, 28, 28});
  EXPECT_EQ(models::FrozenEncoder::unsupported(conv).rfind("encoder layer 2 (conv2d)", 0), 0u)
      << models::FrozenEncoder::unsupported(conv);
  EXPECT_THROW(models::FrozenEncoder{conv}, InputError);
  models::Autoencoder ok = make_model(kModel1, 6);
  EXPECT_EQ(models::FrozenEncoder::unsupported(ok), "");
}

}  // namespace
