#include <gtest/gtest.h>

#include "nn/dense.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

class DenseTest : public ::testing::TestWithParam<std::string> {};

nn::Dense make(const std::string& act, int64_t units) {
  return nn::Dense(units, nn::parse_act(act == "identity" ? "linear" : act), 0.2f);
}

TEST_P(DenseTest, MatchesPyTorch) {
  Fixture f("dense_" + GetParam());
  nn::Dense d = make(GetParam(), 5);
  d.build({6});
  d.weight() = f["weight"];
  d.bias() = f["bias"];
  const Tensor& y = d.forward(f["x"], nn::Mode::train);
  EXPECT_TRUE(all_close(y, f["y"], 1e-5, 1e-6));
  const Tensor& dx = d.backward(f["dy"], true);
  EXPECT_TRUE(all_close(dx, f["dx"], 1e-5, 1e-6));
  auto p = d.params();
  EXPECT_TRUE(all_close(*p[0].grad, f["dweight"], 1e-5, 1e-6));
  EXPECT_TRUE(all_close(*p[1].grad, f["dbias"], 1e-5, 1e-6));
}

TEST_P(DenseTest, GradientCheck) {
  nn::Dense d = make(GetParam(), 4);
  d.build({3, 2});  // a non-flat sample shape is flattened
  Rng rng(7);
  d.init(rng, nn::Init::pytorch);
  Tensor x = random_tensor({5, 3, 2}, 11);
  EXPECT_TRUE(check_layer_gradients(d, x, 3));
}

TEST_P(DenseTest, SaveLoadRoundTrip) {
  nn::Dense d = make(GetParam(), 4);
  d.build({6});
  Rng rng(1);
  d.init(rng, nn::Init::keras);
  EXPECT_TRUE(check_roundtrip(d, random_tensor({3, 6}, 2)));
}

INSTANTIATE_TEST_SUITE_P(Activations, DenseTest,
                         ::testing::Values("identity", "relu", "leaky_relu", "sigmoid", "tanh"));

TEST(Dense, SkipsInputGradientWhenNotNeeded) {
  nn::Dense d(3);
  d.build({4});
  Tensor x = random_tensor({2, 4}, 1);
  d.forward(x, nn::Mode::train);
  EXPECT_TRUE(d.backward(random_tensor({2, 3}, 2), false).empty());
  EXPECT_NE((*d.params()[0].grad)[0], 0.0f);  // weight gradient still computed
}

TEST(Dense, RejectsWrongInputWidth) {
  nn::Dense d(3);
  d.build({4});
  EXPECT_THROW(d.forward(Tensor({2, 5}), nn::Mode::eval), InputError);
}

TEST(Init, KerasGlorotAndPytorchKaimingBounds) {
  nn::Dense k(300), p(300);
  k.build({500});
  p.build({500});
  Rng r1(1), r2(1);
  k.init(r1, nn::Init::keras);
  p.init(r2, nn::Init::pytorch);
  float kmax = 0, pmax = 0;
  for (float v : k.weight()) kmax = std::max(kmax, std::fabs(v));
  for (float v : p.weight()) pmax = std::max(pmax, std::fabs(v));
  EXPECT_LE(kmax, std::sqrt(6.0f / 800));
  EXPECT_GT(kmax, 0.99f * std::sqrt(6.0f / 800));
  EXPECT_LE(pmax, 1 / std::sqrt(500.0f));
  EXPECT_GT(pmax, 0.99f / std::sqrt(500.0f));
  for (float v : k.bias()) EXPECT_EQ(v, 0.0f);
  float bmax = 0;
  for (float v : p.bias()) bmax = std::max(bmax, std::fabs(v));
  EXPECT_GT(bmax, 0.0f);
}

}  // namespace
