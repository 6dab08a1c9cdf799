#include <gtest/gtest.h>

#include "eval/evaluate.h"
#include "eval/iwae.h"
#include "nn/optimizer.h"
#include "support/grad_check.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// A small VAE trained for a few steps on smooth synthetic "images" so the bounds are meaningful.
models::Autoencoder trained_vae(Tensor& data) {
  models::Autoencoder m({{"encoder", {{{"type", "dense"}, {"units", 32}, {"activation", "relu"}}}},
                         {"vae", {{"latent", 4}}},
                         {"decoder", {{{"type", "dense"}, {"units", 32}, {"activation", "relu"}},
                                      {{"type", "dense"}, {"units", 20}}}},
                         {"loss", {{"type", "bce_logits"}, {"reduction", "sum"}}}},
                        {20});
  Rng rng(1);
  m.init(rng);
  m.set_rng(&rng);
  data = Tensor({256, 20});
  for (int64_t i = 0; i < 256; ++i) {
    const float a = rng.uniform(), b = rng.uniform();
    for (int j = 0; j < 20; ++j) data[i * 20 + j] = 0.5f + 0.45f * std::sin(a * 6 + b * j);
  }
  auto opt = nn::make_optimizer(nlohmann::json{{"type", "adam"}, {"lr", 0.01}});
  for (int s = 0; s < 200; ++s) {
    m.train_step(data, data);
    opt->step(m.params());
  }
  return m;
}

TEST(Iwae, KEqualsOneIsTheElbo) {
  Tensor x;
  models::Autoencoder m = trained_vae(x);
  eval::SplitLoss elbo = eval::split_loss(m, x, nullptr, 1000, false, 3);
  // k = 1 averaged over many draws equals -ELBO (analytic KL + sampled recon) up to MC noise.
  double nll1 = 0;
  for (uint64_t s = 0; s < 20; ++s) nll1 += eval::iwae_nll(m, x, 1, 100 + s).nll / 20;
  EXPECT_NEAR(nll1, elbo.recon + elbo.kl, 0.01 * (elbo.recon + elbo.kl));
}

TEST(Iwae, MoreSamplesGiveATighterBound) {
  Tensor x;
  models::Autoencoder m = trained_vae(x);
  const double k1 = eval::iwae_nll(m, x, 1, 7).nll;
  const double k100 = eval::iwae_nll(m, x, 100, 7).nll;
  EXPECT_LT(k100, k1);
  EXPECT_GT(k100, 0.0);
}

TEST(Iwae, RejectsLossesThatAreNotLikelihoods) {
  models::Autoencoder m({{"encoder", {{{"type", "dense"}, {"units", 8}}}},
                         {"vae", {{"latent", 2}}},
                         {"decoder", {{{"type", "dense"}, {"units", 4}}}},
                         {"loss", {{"type", "mse"}}}},
                        {4});
  EXPECT_THROW(eval::iwae_nll(m, Tensor({2, 4}), 5, 1), InputError);
}

}  // namespace
