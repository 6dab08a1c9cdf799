// Dropout has no PyTorch fixture: its masks come from our generator, not torch's. The tests pin
// the semantics instead (inverted scaling, rate, eval identity, mask reuse in backward).
#include <gtest/gtest.h>

#include "nn/dropout.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

TEST(Dropout, TrainDropsAtRateAndScalesTheRest) {
  nn::Dropout d(0.25f);
  d.build({100, 100});
  Rng rng(1);
  d.set_rng(&rng);
  Tensor x(Shape{2, 100, 100});
  x.fill(2.0f);
  const Tensor& y = d.forward(x, nn::Mode::train);
  int64_t zeros = 0;
  for (float v : y) {
    if (v == 0.0f)
      ++zeros;
    else
      EXPECT_FLOAT_EQ(v, 2.0f / 0.75f);
  }
  EXPECT_NEAR(static_cast<double>(zeros) / y.size(), 0.25, 0.01);
  // backward applies the same mask
  Tensor dy(x.shape());
  dy.fill(1.0f);
  const Tensor& dx = d.backward(dy, true);
  for (int64_t i = 0; i < y.size(); ++i) EXPECT_EQ(dx[i], y[i] / 2.0f);
}

TEST(Dropout, SameGeneratorStateGivesSameMask) {
  nn::Dropout d(0.5f);
  d.build({50});
  Tensor x = random_tensor({4, 50}, 3);
  Rng a(9), b(9);
  d.set_rng(&a);
  const Tensor y1 = d.forward(x, nn::Mode::train);
  d.set_rng(&b);
  const Tensor y2 = d.forward(x, nn::Mode::train);
  EXPECT_TRUE(all_close(y1, y2, 0, 0));
  const Tensor& y3 = d.forward(x, nn::Mode::train);  // a's stream moved on: a new mask
  EXPECT_FALSE(all_close(y3, y2, 0, 0));
}

TEST(Dropout, EvalIsIdentity) {
  nn::Dropout d(0.9f);
  d.build({3, 4});
  Tensor x = random_tensor({2, 3, 4}, 1);
  EXPECT_TRUE(all_close(d.forward(x, nn::Mode::eval), x, 0, 0));
  EXPECT_TRUE(all_close(d.backward(x, true), x, 0, 0));
}

TEST(Dropout, GradientCheck) {
  nn::Dropout d(0.4f);
  d.build({3, 5});
  // the checker replays the same draws on every forward
  EXPECT_TRUE(check_layer_gradients(d, random_tensor({4, 3, 5}, 2), 6));
}

TEST(Dropout, SaveLoadRoundTrip) {
  nn::Dropout d(0.3f);
  d.build({6});
  EXPECT_TRUE(check_roundtrip(d, random_tensor({2, 6}, 1)));
}

TEST(Dropout, Errors) {
  EXPECT_THROW(nn::make_layer({{"type", "dropout"}}, "test"), InputError);
  EXPECT_THROW(nn::make_layer({{"type", "dropout"}, {"rate", 1.0}}, "test"), InputError);
  EXPECT_THROW(nn::make_layer({{"type", "dropout"}, {"rate", -0.1}}, "test"), InputError);
  nn::Dropout d(0.2f);
  d.build({4});
  try {
    d.forward(Tensor({2, 4}), nn::Mode::train);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dropout: no random generator"), std::string::npos);
  }
}

}  // namespace
