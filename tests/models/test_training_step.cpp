// A whole training step (model + loss + Adam) against PyTorch: three steps of a 6-4-6 network.
#include <gtest/gtest.h>

#include "models/autoencoder.h"
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
  auto opt = nn::make_optimizer({{"type", "adam"}, {"lr", 0.01}});
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
    EXPECT_NE(std::string(e.what()).find("encoder[1]: unknown layer type 'densee'"), std::string::npos)
        << e.what();
  }
}
