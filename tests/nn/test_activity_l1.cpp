#include <gtest/gtest.h>

#include "nn/activity_l1.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"

using namespace aekit;
using namespace aekit::testing;

TEST(ActivityL1, MatchesKerasConventionFixture) {
  Fixture f("penalty_l1_activity");
  nn::ActivityL1 l(f.scalar("coef"));
  l.build({6});
  const Tensor& y = l.forward(f["x"], nn::Mode::train);
  EXPECT_TRUE(all_close(y, f["x"], 0, 0));  // pass-through
  EXPECT_NEAR(l.penalty(), f.scalar("penalty"), 1e-6 * f.scalar("penalty"));
  // With dy = 0 the returned gradient is the penalty's alone.
  EXPECT_TRUE(all_close(l.backward(Tensor(f["x"].shape()), true), f["dx"], 1e-5, 1e-9));
}

TEST(ActivityL1, GradientCheck) {
  nn::ActivityL1 l(0.05f);
  l.build({5});
  EXPECT_TRUE(check_layer_gradients(l, random_tensor({4, 5}, 3, 1.0f, 0.05f), 4));
}

TEST(ActivityL1, NoPenaltyInEvalMode) {
  nn::ActivityL1 l(0.05f);
  l.build({5});
  l.forward(random_tensor({4, 5}, 3), nn::Mode::eval);
  EXPECT_EQ(l.penalty(), 0.0);
}

TEST(ActivityL1, SaveLoadRoundTrip) {
  nn::ActivityL1 l(0.05f);
  l.build({5});
  EXPECT_TRUE(check_roundtrip(l, random_tensor({2, 5}, 3)));
}
