#include <gtest/gtest.h>

#include "nn/flatten.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

TEST(Flatten, MatchesPyTorch) {
  Fixture f("flatten_reshape");  // torch.flatten(x, 1) of an NCHW tensor
  nn::Flatten l;
  EXPECT_EQ(l.build({3, 2, 4}), (Shape{24}));
  const Tensor& y = l.forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["flat"].shape());
  EXPECT_TRUE(all_close(y, f["flat"], 0, 0));
  const Tensor& dx = l.backward(f["flat"], true);
  EXPECT_EQ(dx.shape(), f["x"].shape());
  EXPECT_TRUE(all_close(dx, f["x"], 0, 0));
}

TEST(Flatten, GradientCheckAndRoundTrip) {
  nn::Flatten l;
  l.build({2, 3});
  EXPECT_TRUE(check_layer_gradients(l, random_tensor({2, 2, 3}, 1), 2));
  EXPECT_TRUE(check_roundtrip(l, random_tensor({2, 2, 3}, 3)));
  EXPECT_TRUE(l.backward(random_tensor({2, 6}, 1), false).empty());
}

TEST(Flatten, RejectsWrongInput) {
  nn::Flatten l;
  l.build({2, 3});
  EXPECT_THROW(l.forward(Tensor({2, 7}), nn::Mode::eval), InputError);
}

}  // namespace
