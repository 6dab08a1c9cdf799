#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "nn/loss.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

struct Case {
  std::string fixture, type, reduction;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.fixture; }

class LossTest : public ::testing::TestWithParam<Case> {};

std::unique_ptr<nn::Loss> make(const Case& c, double scale) {
  return nn::make_loss(nlohmann::json{{"type", c.type}, {"reduction", c.reduction}, {"scale", scale}});
}

TEST_P(LossTest, MatchesPyTorch) {
  const Case c = GetParam();
  Fixture f(c.fixture);
  const double scale = f.file.tensors.count("scale") ? f.scalar("scale") : 1.0;
  auto loss = make(c, scale);
  const double v = loss->forward(f["pred"], f["target"]);
  EXPECT_NEAR(v, f.scalar("loss"), 1e-5 * std::fabs(f.scalar("loss")) + 1e-6);
  EXPECT_TRUE(all_close(loss->grad(), f["dpred"], 1e-4, 1e-7));
  // Per-sample values average to the batch loss.
  std::vector<double> per(f["pred"].dim(0));
  loss->per_sample(f["pred"], f["target"], per.data());
  double mean = 0;
  for (double p : per) mean += p / per.size();
  EXPECT_NEAR(mean, v, 1e-6 * std::fabs(v) + 1e-9);
}

TEST_P(LossTest, GradientCheck) {
  const Case c = GetParam();
  auto loss = make(c, 2.0);
  Tensor target = random_tensor({3, 5}, 4);
  for (float& t : target) t = 1.0f / (1.0f + std::exp(-t));  // in (0,1) for the BCE losses
  Tensor pred = random_tensor({3, 5}, 8);
  if (c.type == "bce")
    for (float& p : pred) p = 0.1f + 0.8f / (1.0f + std::exp(-p));
  GradTolerance tol;
  tol.eps = 1e-3;
  EXPECT_TRUE(check_loss_gradients(*loss, pred, target, tol));
}

INSTANTIATE_TEST_SUITE_P(
    All, LossTest,
    ::testing::Values(Case{"loss_mse_mean", "mse", "mean"}, Case{"loss_mse_sum", "mse", "sum"},
                      Case{"loss_bce_mean", "bce", "mean"}, Case{"loss_bce_sum", "bce", "sum"},
                      Case{"loss_bce_logits_mean", "bce_logits", "mean"},
                      Case{"loss_bce_logits_sum", "bce_logits", "sum"}),
    [](const auto& info) { return info.param.fixture; });

TEST(Bce, ClampsLikeKerasAndStaysFinite) {
  auto loss = nn::make_loss(nlohmann::json{{"type", "bce"}, {"reduction", "sum"}});
  Tensor pred({1, 2}, {0.0f, 1.0f}), target({1, 2}, {1.0f, 0.0f});
  const double v = loss->forward(pred, target);
  // Both clamped: p=0 to 1e-7, p=1 to the float nearest 1 - 1e-7 (as Keras does in float32).
  const double hi = static_cast<double>(1.0f - 1e-7f);
  EXPECT_NEAR(v, -std::log(static_cast<double>(1e-7f)) - std::log1p(-hi), 1e-4);
  EXPECT_EQ(loss->grad()[0], 0.0f);            // no gradient where the clamp bites
}

TEST(BceLogits, StableForLargeLogits) {
  auto loss = nn::make_loss(nlohmann::json{{"type", "bce_logits"}, {"reduction", "sum"}});
  Tensor z({1, 2}, {100.0f, -100.0f}), t({1, 2}, {0.0f, 1.0f});
  EXPECT_NEAR(loss->forward(z, t), 200.0, 1e-3);
  EXPECT_NEAR(loss->grad()[0], 1.0f, 1e-6);
  EXPECT_NEAR(loss->grad()[1], -1.0f, 1e-6);
  Tensor out({1, 2}, {0.0f, 100.0f});
  loss->to_data_space(out);
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], 1.0f);
}

// The vectorised blocks (eight elements at a time, libmvec) against double-precision formulas,
// over extreme and ordinary values and a length that leaves a scalar tail.
TEST(ElementwiseLoss, VectorisedBlocksMatchTheFormulasElementByElement) {
  const int64_t n = 1003;
  Tensor z({1, n}), p({1, n}), t({1, n});
  for (int64_t i = 0; i < n; ++i) {
    z[i] = static_cast<float>((i % 41) - 20) * (i % 3 == 0 ? 4.0f : 0.37f);  // up to +-80
    p[i] = static_cast<float>(i % 97) / 96.0f;                              // includes 0 and 1
    t[i] = static_cast<float>(i % 5) / 4.0f;
  }
  auto logits = nn::make_loss(nlohmann::json{{"type", "bce_logits"}, {"reduction", "sum"}});
  double want = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double zi = z[i], ti = t[i];
    want += std::max(zi, 0.0) - zi * ti + std::log1p(std::exp(-std::fabs(zi)));
  }
  EXPECT_NEAR(logits->forward(z, t), want, 1e-5 * want);
  for (int64_t i = 0; i < n; ++i)
    ASSERT_NEAR(logits->grad()[i], 1.0 / (1.0 + std::exp(-static_cast<double>(z[i]))) - t[i], 1e-6) << i;

  auto bce = nn::make_loss(nlohmann::json{{"type", "bce"}, {"reduction", "sum"}});
  want = 0;
  for (int64_t i = 0; i < n; ++i) {
    // The clamp happens in float, as in Keras: 1 - 1e-7 rounds to the float nearest it.
    const double pc = std::clamp(static_cast<double>(p[i]), static_cast<double>(1e-7f),
                                 static_cast<double>(1.0f - 1e-7f)),
                 ti = t[i];
    want -= ti * std::log(pc) + (1 - ti) * std::log(1 - pc);
  }
  EXPECT_NEAR(bce->forward(p, t), want, 1e-4 * want);
}

TEST(Loss, ConventionIsSpelledOut) {
  auto loss = nn::make_loss(nlohmann::json{{"type", "mse"}, {"reduction", "sum"}, {"scale", 784}});
  EXPECT_EQ(loss->convention(784),
            "loss mse: per sample = 784 x sum over 784 features; batch = mean over samples");
}

TEST(Loss, BadConfigsAreInputErrors) {
  EXPECT_THROW(nn::make_loss(nlohmann::json{{"type", "huber"}}), InputError);
  EXPECT_THROW(nn::make_loss(nlohmann::json{{"type", "mse"}, {"reduction", "avg"}}), InputError);
  EXPECT_THROW(nn::make_loss(nlohmann::json::array()), InputError);
  auto loss = nn::make_loss(nlohmann::json{{"type", "mse"}});
  EXPECT_THROW(loss->forward(Tensor({2, 3}), Tensor({2, 4})), InputError);
}

}  // namespace
