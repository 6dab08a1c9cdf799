#include <gtest/gtest.h>

#include <cmath>

#include "nn/kl_sparsity.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

TEST(KlSparsity, MatchesPyTorch) {
  Fixture f("penalty_kl_sparsity");
  nn::KlSparsity l(f.scalar("rho"), f.scalar("beta"));
  l.build({5});
  l.forward(f["x"], nn::Mode::train);
  EXPECT_NEAR(l.penalty(), f.scalar("penalty"), 1e-5 * f.scalar("penalty"));
  EXPECT_TRUE(all_close(l.backward(f["dy"], true), f["dx"], 1e-4, 1e-6));
}

TEST(KlSparsity, GradientCheck) {
  nn::KlSparsity l(0.1f, 2.0f);
  l.build({4});
  Tensor x = random_tensor({5, 4}, 8);
  for (float& v : x) v = 1.0f / (1.0f + std::exp(-v));
  GradTolerance tol;
  tol.eps = 1e-3;
  EXPECT_TRUE(check_layer_gradients(l, x, 2, tol));
}

TEST(KlSparsity, ZeroWhenActivationsMatchTarget) {
  nn::KlSparsity l(0.2f, 3.0f);
  l.build({3});
  Tensor x({4, 3});
  x.fill(0.2f);
  l.forward(x, nn::Mode::train);
  EXPECT_NEAR(l.penalty(), 0.0, 1e-9);
}

TEST(KlSparsity, RoundTripAndBadConfig) {
  nn::KlSparsity l(0.05f, 3.0f);
  l.build({3});
  EXPECT_TRUE(check_roundtrip(l, random_tensor({2, 3}, 1)));
  EXPECT_THROW(nn::KlSparsity(1.5f, 1.0f), InputError);
}
