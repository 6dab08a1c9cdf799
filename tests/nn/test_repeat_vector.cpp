#include "nn/repeat_vector.h"

#include <gtest/gtest.h>

#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

TEST(RepeatVector, MatchesPyTorch) {
  Fixture f("repeat_vector");
  nn::RepeatVector r(static_cast<int64_t>(f.scalar("n")));
  EXPECT_EQ(r.build({4}), (Shape{5, 4}));
  const Tensor& y = r.forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["y"].shape());
  EXPECT_TRUE(all_close(y, f["y"], 0, 0));
  EXPECT_TRUE(all_close(r.backward(f["dy"], true), f["dx"], 1e-6, 1e-7));
}

TEST(RepeatVector, GradientCheck) {
  nn::RepeatVector r(3);
  r.build({4});
  EXPECT_TRUE(check_layer_gradients(r, random_tensor({2, 4}, 1), 2));
}

TEST(RepeatVector, SaveLoadRoundTrip) {
  nn::RepeatVector r(6);
  r.build({5});
  EXPECT_TRUE(check_roundtrip(r, random_tensor({3, 5}, 2)));
}

TEST(RepeatVector, ConfigAndShapeErrors) {
  EXPECT_EQ(nn::make_layer({{"type", "repeat_vector"}, {"n", 50}}, "d[0]")->config(),
            (nlohmann::json{{"type", "repeat_vector"}, {"n", 50}}));
  EXPECT_THROW(nn::make_layer({{"type", "repeat_vector"}}, "d[0]"), InputError);
  EXPECT_THROW(nn::make_layer({{"type", "repeat_vector"}, {"n", -1}}, "d[0]"), InputError);
  nn::RepeatVector r(2);
  EXPECT_THROW(r.build({3, 4}), InputError);
  r.build({3});
  EXPECT_THROW(r.forward(Tensor({2, 4}), nn::Mode::eval), InputError);
  EXPECT_TRUE(r.backward(Tensor({2, 2, 3}), false).empty());
}

}  // namespace
