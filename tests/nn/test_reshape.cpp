#include <gtest/gtest.h>

#include "nn/registry.h"
#include "nn/reshape.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

nn::LayerPtr make(const nlohmann::json& shape) {
  return nn::make_layer({{"type", "reshape"}, {"shape", shape}}, "test");
}

TEST(Reshape, MatchesPyTorch) {
  Fixture f("flatten_reshape");  // x.reshape(2, 4, 6)
  auto l = make({4, -1});
  EXPECT_EQ(l->build({3, 2, 4}), (Shape{4, 6}));
  const Tensor& y = l->forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["reshaped"].shape());
  EXPECT_TRUE(all_close(y, f["reshaped"], 0, 0));
  const Tensor& dx = l->backward(f["reshaped"], true);
  EXPECT_EQ(dx.shape(), f["x"].shape());
  EXPECT_TRUE(all_close(dx, f["x"], 0, 0));
}

TEST(Reshape, GradientCheckAndRoundTrip) {
  auto l = make({1, 2, 3});
  l->build({6});
  EXPECT_TRUE(check_layer_gradients(*l, random_tensor({3, 6}, 1), 2));
  EXPECT_TRUE(check_roundtrip(*l, random_tensor({2, 6}, 3)));
}

TEST(Reshape, Errors) {
  try {
    make({1, 28, 27})->build({784});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "reshape: cannot reshape [784] (784 values) to [1,28,27] (756 values)");
  }
  EXPECT_THROW(make({5, -1})->build({12}), InputError);
  EXPECT_THROW(make({-1, -1}), InputError);
  EXPECT_THROW(make({0, 4}), InputError);
  EXPECT_THROW(nn::make_layer({{"type", "reshape"}}, "test"), InputError);
}

}  // namespace
