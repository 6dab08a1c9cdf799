#include <gtest/gtest.h>

#include "nn/optimizer.h"
#include "support/fixtures.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// Runs three optimizer steps with the fixture's gradients and compares each parameter state.
void expect_trajectory(const std::string& fixture, const nlohmann::json& cfg) {
  Fixture f(fixture);
  Tensor p = f["p0"], g(p.shape());
  std::vector<nn::Param> params{{"p", &p, &g}};
  auto opt = nn::make_optimizer(cfg);
  for (int t = 1; t <= 3; ++t) {
    g = f["g" + std::to_string(t)];
    opt->step(params);
    EXPECT_TRUE(all_close(p, f["p" + std::to_string(t)], 1e-5, 1e-6)) << fixture << " step " << t;
  }
  EXPECT_EQ(opt->steps(), 3);
}

TEST(Adam, MatchesTorchOptimAdam) {
  expect_trajectory("opt_adam_pytorch", {{"type", "adam"}, {"lr", 0.01}, {"epsilon", 1e-8}});
}

TEST(Adam, KerasEpsilonPlacement) {
  expect_trajectory("opt_adam_keras",
                    {{"type", "adam"}, {"lr", 0.01}, {"epsilon", 1e-7}, {"epsilon_placement", "keras"}});
}

TEST(Sgd, MatchesTorchSgdMomentum) {
  expect_trajectory("opt_sgd_momentum", {{"type", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}});
}

TEST(Clip, GlobalNormMatchesClipGradNorm) {
  Fixture f("opt_clip_global");
  Tensor a = f["a"], b = f["b"], va(a.shape()), vb(b.shape());
  std::vector<nn::Param> params{{"a", &va, &a}, {"b", &vb, &b}};
  const double norm = nn::clip_global_norm(params, f.scalar("max_norm"));
  EXPECT_GT(norm, 1.0);
  EXPECT_TRUE(all_close(a, f["a_clipped"], 1e-5, 1e-7));
  EXPECT_TRUE(all_close(b, f["b_clipped"], 1e-5, 1e-7));
}

TEST(Clip, PerTensorNormMatchesKerasClipnorm) {
  Fixture f("opt_clip_per_tensor");
  Tensor a = f["a"], b = f["b"], va(a.shape()), vb(b.shape());
  std::vector<nn::Param> params{{"a", &va, &a}, {"b", &vb, &b}};
  nn::clip_per_tensor_norm(params, f.scalar("max_norm"));
  EXPECT_TRUE(all_close(a, f["a_clipped"], 1e-5, 1e-7));
  EXPECT_TRUE(all_close(b, f["b_clipped"], 1e-5, 1e-7));
}

TEST(Clip, SmallGradientsAreUntouched) {
  Tensor g({3}, {0.1f, -0.2f, 0.05f}), v({3});
  const Tensor before = g;
  std::vector<nn::Param> params{{"g", &v, &g}};
  nn::clip_global_norm(params, 1.0);
  nn::clip_per_tensor_norm(params, 1.0);
  EXPECT_TRUE(all_close(g, before, 0, 0));
}

TEST(Optimizer, BadConfigsAreInputErrors) {
  EXPECT_THROW(nn::make_optimizer(nlohmann::json{{"type", "rmsprop"}}), InputError);
  EXPECT_THROW(nn::make_optimizer(nlohmann::json{{"type", "adam"}, {"lr", -1}}), InputError);
  EXPECT_THROW(nn::make_optimizer(nlohmann::json{{"type", "adam"}, {"epsilon_placement", "tf"}}), InputError);
}

}  // namespace
