#include <gtest/gtest.h>

#include <cmath>

#include "models/vae_head.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

models::VaeHead from_fixture(const Fixture& f) {
  models::VaeHead head(3);
  head.build({6});
  for (auto& p : head.params()) *p.value = f[p.name];
  head.set_beta(f.scalar("beta"));
  return head;
}

TEST(VaeHead, MatchesPyTorchAutograd) {
  Fixture f("vae_head");
  models::VaeHead head = from_fixture(f);
  const Tensor& z = head.forward(f["h"], nn::Mode::train, true, nullptr, &f["eps"]);
  EXPECT_TRUE(all_close(z, f["z"], 1e-5, 1e-6));
  EXPECT_NEAR(head.kl(), f.scalar("kl"), 1e-5 * std::fabs(f.scalar("kl")));
  EXPECT_TRUE(all_close(head.backward(f["dz"]), f["dh"], 1e-4, 1e-6));
  for (auto& p : head.params()) EXPECT_TRUE(all_close(*p.grad, f["d" + p.name], 1e-4, 1e-6)) << p.name;
}

// Finite differences of sum(z * w) + beta * KL with the noise held fixed.
TEST(VaeHead, GradientCheck) {
  models::VaeHead head(4);
  head.build({5});
  Rng rng(2);
  head.init(rng, nn::Init::pytorch);
  head.set_beta(1.3);
  Tensor h = random_tensor({3, 5}, 4), eps = random_tensor({3, 4}, 5), w = random_tensor({3, 4}, 6);
  auto objective = [&] {
    const Tensor& z = head.forward(h, nn::Mode::train, true, nullptr, &eps);
    double s = 0;
    for (int64_t i = 0; i < z.size(); ++i) s += static_cast<double>(z[i]) * w[i];
    return s + 1.3 * head.kl();
  };
  objective();
  Tensor dh = head.backward(w);
  std::vector<Tensor> grads;
  for (auto& p : head.params()) grads.push_back(*p.grad);
  const float e = 1e-2f;
  auto numeric = [&](float& v) {
    const float s = v;
    v = s + e;
    double up = objective();
    v = s - e;
    double down = objective();
    v = s;
    return (up - down) / (2 * e);
  };
  for (int64_t i = 0; i < h.size(); ++i) EXPECT_NEAR(dh[i], numeric(h[i]), 2e-3 + 2e-2 * std::fabs(dh[i]));
  size_t k = 0;
  for (auto& p : head.params()) {
    for (int64_t i = 0; i < p.value->size(); ++i)
      EXPECT_NEAR(grads[k][i], numeric((*p.value)[i]), 2e-3 + 2e-2 * std::fabs(grads[k][i])) << p.name << i;
    ++k;
  }
}

TEST(VaeHead, KlIsZeroAtThePriorAndPositiveElsewhere) {
  models::VaeHead head(2);
  head.build({3});
  Tensor h = random_tensor({4, 3}, 1);
  head.forward(h, nn::Mode::eval, false);  // all weights zero: mu = 0, logvar = 0
  EXPECT_DOUBLE_EQ(head.kl(), 0.0);
  for (auto& p : head.params()) p.value->fill(0.3f);
  head.forward(h, nn::Mode::eval, false);
  EXPECT_GT(head.kl(), 0.0);
}

TEST(VaeHead, SamplingIsSeededAndDeterministic) {
  models::VaeHead head(3);
  head.build({4});
  Rng init(1);
  head.init(init, nn::Init::keras);
  Tensor h = random_tensor({2, 4}, 3);
  Rng a(7), b(7);
  head.set_rng(&a);
  Tensor z1 = head.forward(h, nn::Mode::train, true);
  head.set_rng(&b);
  Tensor z2 = head.forward(h, nn::Mode::train, true);
  EXPECT_TRUE(all_close(z1, z2, 0, 0));
  Tensor mean = head.forward(h, nn::Mode::eval, false);
  EXPECT_FALSE(all_close(z1, mean, 0, 1e-4));
  EXPECT_TRUE(all_close(mean, head.mean(h), 0, 0));
}

}  // namespace
