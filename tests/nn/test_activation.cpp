#include <gtest/gtest.h>

#include "nn/activation.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

class ActivationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ActivationTest, MatchesPyTorch) {
  Fixture f("act_" + GetParam());
  nn::Activation a(nn::parse_act(GetParam()), 0.2f);
  a.build({7});
  EXPECT_TRUE(all_close(a.forward(f["x"], nn::Mode::train), f["y"], 1e-5, 1e-6));
  EXPECT_TRUE(all_close(a.backward(f["dy"], true), f["dx"], 1e-5, 1e-6));
}

TEST_P(ActivationTest, GradientCheck) {
  nn::Activation a(nn::parse_act(GetParam()), 0.2f);
  a.build({6});
  EXPECT_TRUE(check_layer_gradients(a, random_tensor({3, 6}, 5, 1.0f, 0.05f), 9));
}

TEST_P(ActivationTest, SaveLoadRoundTrip) {
  nn::Activation a(nn::parse_act(GetParam()), 0.2f);
  a.build({6});
  EXPECT_TRUE(check_roundtrip(a, random_tensor({3, 6}, 5)));
}

INSTANTIATE_TEST_SUITE_P(All, ActivationTest, ::testing::Values("relu", "leaky_relu", "sigmoid", "tanh"));

TEST(Activation, SigmoidSaturatesWithoutOverflow) {
  Tensor x({1, 2}, {-200.0f, 200.0f});
  nn::apply_act(nn::Act::sigmoid, 0, x.data(), 2);
  EXPECT_EQ(x[0], 0.0f);
  EXPECT_EQ(x[1], 1.0f);
}

TEST(Activation, UnknownNameIsAnInputError) { EXPECT_THROW(nn::parse_act("relu6"), InputError); }

}  // namespace
