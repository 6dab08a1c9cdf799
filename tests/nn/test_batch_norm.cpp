#include <gtest/gtest.h>

#include "nn/batch_norm.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

class BatchNormFixture : public ::testing::TestWithParam<std::string> {};

// One train step (batch statistics, running-stat update, backward) and then eval with the
// updated running statistics, against torch.nn.BatchNorm1d/2d(momentum = 1 - ours).
TEST_P(BatchNormFixture, MatchesPyTorch) {
  Fixture f(GetParam());
  nn::LayerPtr l = nn::make_layer(
      {{"type", "batch_norm"}, {"momentum", f.scalar("momentum")}, {"epsilon", f.scalar("epsilon")}}, "test");
  const Tensor& x = f["x"];
  l->build(Shape(x.shape().begin() + 1, x.shape().end()));
  auto p = l->params();
  ASSERT_EQ(p.size(), 4u);
  *p[0].value = f["weight"];
  *p[1].value = f["bias"];
  *p[2].value = f["running_mean_0"];
  *p[3].value = f["running_var_0"];
  EXPECT_TRUE(all_close(l->forward(x, nn::Mode::train), f["y"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(l->backward(f["dy"], true), f["dx"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(*p[0].grad, f["dweight"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(*p[1].grad, f["dbias"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(*p[2].value, f["running_mean"], 1e-5, 1e-6));
  EXPECT_TRUE(all_close(*p[3].value, f["running_var"], 1e-5, 1e-6));
  EXPECT_TRUE(all_close(l->forward(x, nn::Mode::eval), f["y_eval"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(l->backward(f["dy"], true), f["dx_eval"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(*p[0].grad, f["dweight_eval"], 1e-4, 1e-5));
  EXPECT_TRUE(all_close(*p[1].grad, f["dbias_eval"], 1e-4, 1e-5));
}

INSTANTIATE_TEST_SUITE_P(Shapes, BatchNormFixture, ::testing::Values("batch_norm_dense", "batch_norm_conv"));

TEST(BatchNorm, GradientCheck) {
  for (Shape s : {Shape{5, 3}, Shape{3, 2, 3, 2}}) {
    for (nn::Mode mode : {nn::Mode::train, nn::Mode::eval}) {
      nn::BatchNorm bn(0.9f, 1e-3f);
      bn.build(Shape(s.begin() + 1, s.end()));
      auto p = bn.params();
      *p[0].value = random_tensor(p[0].value->shape(), 1, 0.5f);
      *p[1].value = random_tensor(p[1].value->shape(), 2);
      *p[2].value = random_tensor(p[2].value->shape(), 3);
      for (float& v : *p[3].value) v = 1.5f;
      EXPECT_TRUE(check_layer_gradients(bn, random_tensor(s, 4), 5, {}, mode))
          << to_string(s) << (mode == nn::Mode::train ? " train" : " eval");
    }
  }
}

TEST(BatchNorm, RunningStatsAreStateAndRoundTrip) {
  nn::BatchNorm bn;
  bn.build({4, 3, 3});
  auto p = bn.params();
  EXPECT_EQ(p[2].name, "running_mean");
  EXPECT_EQ(p[3].name, "running_var");
  EXPECT_EQ(p[2].grad, nullptr);
  EXPECT_EQ(p[3].grad, nullptr);
  EXPECT_EQ((*p[0].value)[0], 1.0f);  // gamma starts at 1, running_var at 1
  EXPECT_EQ((*p[3].value)[0], 1.0f);
  for (uint64_t s = 0; s < 3; ++s) bn.forward(random_tensor({5, 4, 3, 3}, s, 2.0f), nn::Mode::train);
  EXPECT_NE((*p[2].value)[0], 0.0f);
  EXPECT_TRUE(check_roundtrip(bn, random_tensor({2, 4, 3, 3}, 9)));
}

TEST(BatchNorm, DefaultsAreKeras) {
  auto l = nn::make_layer({{"type", "batch_norm"}}, "test");
  EXPECT_FLOAT_EQ(l->config()["momentum"].get<float>(), 0.99f);
  EXPECT_FLOAT_EQ(l->config()["epsilon"].get<float>(), 1e-3f);
}

TEST(BatchNorm, Errors) {
  EXPECT_THROW(nn::make_layer({{"type", "batch_norm"}, {"momentum", 1.5}}, "test"), InputError);
  EXPECT_THROW(nn::make_layer({{"type", "batch_norm"}, {"epsilon", 0}}, "test"), InputError);
  nn::BatchNorm bn;
  bn.build({3});
  try {
    bn.forward(Tensor({1, 3}), nn::Mode::train);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("batch_norm: train mode needs more than one value per channel"),
              std::string::npos);
  }
  EXPECT_NO_THROW(bn.forward(Tensor({1, 3}), nn::Mode::eval));
  EXPECT_THROW(bn.forward(Tensor({2, 4}), nn::Mode::eval), InputError);
}

}  // namespace
