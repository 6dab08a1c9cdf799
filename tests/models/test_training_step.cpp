// A whole training step (model + loss + Adam) against PyTorch: three steps of a 6-4-6 network.
#include <gtest/gtest.h>

#include "models/autoencoder.h"
#include "models/sequential.h"
#include "nn/registry.h"
#include "nn/optimizer.h"
#include "support/fixtures.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

TEST(Autoencoder, ThreeAdamStepsMatchPyTorch) {
  Fixture f("step_mlp_adam");
  models::Autoencoder ae({{"encoder", {{{"type", "dense"}, {"units", 4}, {"activation", "relu"}}}},
                          {"decoder", {{{"type", "dense"}, {"units", 6}, {"activation", "sigmoid"}}}},
                          {"loss", {{"type", "mse"}}},
                          {"init", "pytorch"}},
                         {6});
  auto params = ae.params();
  ASSERT_EQ(params.size(), 4u);
  for (auto& p : params) *p.value = f[p.name];
  auto opt = nn::make_optimizer(nlohmann::json{{"type", "adam"}, {"lr", 0.01}});
  const Tensor& x = f["x"];
  for (int t = 1; t <= 3; ++t) {
    models::StepLoss l = ae.train_step(x, x);
    EXPECT_NEAR(l.recon, f.scalar("loss_" + std::to_string(t)), 1e-6) << "step " << t;
    opt->step(params);
  }
  for (auto& p : params) EXPECT_TRUE(all_close(*p.value, f["final." + p.name], 1e-4, 1e-6)) << p.name;
}

TEST(Autoencoder, DecoderMustReproduceInputSize) {
  EXPECT_THROW(models::Autoencoder({{"encoder", {{{"type", "dense"}, {"units", 4}}}},
                                    {"decoder", {{{"type", "dense"}, {"units", 5}}}},
                                    {"loss", {{"type", "mse"}}}},
                                   {6}),
               InputError);
}

TEST(Autoencoder, UnknownLayerTypeNamesItsPlace) {
  try {
    models::Autoencoder({{"encoder", {{{"type", "dense"}, {"units", 4}}, {{"type", "densee"}}}},
                         {"decoder", {{{"type", "dense"}, {"units", 6}}}},
                         {"loss", {{"type", "mse"}}}},
                        {6});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("model.encoder[1].type: unknown layer type \"densee\" (did you mean \"dense\"?)"), std::string::npos)
        << e.what();
  }
}

// An encoder that starts with parameter-free layers (dropout, as chapter 000's deep VAE): with
// need_dx false the first dense layer skips its data gradient; its weight gradient must be the
// same as when the input gradient is asked for.
TEST(Sequential, SkipsDataGradientBelowTheLowestTrainableLayer) {
  auto make = [] {
    models::Sequential s("encoder");
    s.add(nn::make_layer({{"type", "dropout"}, {"rate", 0.25}}, "t"));
    s.add(nn::make_layer({{"type", "dense"}, {"units", 5}, {"activation", "relu"}}, "t"));
    s.add(nn::make_layer({{"type", "batch_norm"}}, "t"));
    s.build({7});
    Rng init(3);
    s.init(init, nn::Init::pytorch);
    return s;
  };
  models::Sequential a = make(), b = make();
  Tensor x({6, 7});
  Rng r(4);
  for (float& v : x) v = r.normal();
  Tensor dy({6, 5});
  for (float& v : dy) v = r.normal();
  Rng ra(8), rb(8);
  a.set_rng(&ra);
  b.set_rng(&rb);
  a.forward(x, nn::Mode::train);
  b.forward(x, nn::Mode::train);
  EXPECT_EQ(a.backward(dy, false).size(), 0);
  EXPECT_EQ(b.backward(dy, true).size(), x.size());
  auto pa = a.params(), pb = b.params();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    if (!pa[i].grad) continue;
    for (int64_t j = 0; j < pa[i].grad->size(); ++j) EXPECT_EQ((*pa[i].grad)[j], (*pb[i].grad)[j]) << pa[i].name;
  }
}

