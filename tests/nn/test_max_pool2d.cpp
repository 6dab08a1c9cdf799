#include <gtest/gtest.h>

#include <numeric>

#include "nn/max_pool2d.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

nn::LayerPtr make(json cfg) {
  cfg["type"] = "max_pool2d";
  return nn::make_layer(cfg, "test");
}

// Distinct values 0.05 apart in random order: no window has a near-tie the finite-difference
// step (0.01) could flip.
Tensor distinct_tensor(const Shape& s, uint64_t seed) {
  Tensor t(s);
  std::vector<int64_t> order(t.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  rng.shuffle(order);
  for (int64_t i = 0; i < t.size(); ++i) t[i] = 0.05f * static_cast<float>(order[i] - t.size() / 2);
  return t;
}

struct Case {
  const char* fixture;
  json cfg;
};

class MaxPool2DFixture : public ::testing::TestWithParam<Case> {};

TEST_P(MaxPool2DFixture, MatchesPyTorch) {
  Fixture f(GetParam().fixture);
  auto l = make(GetParam().cfg);
  l->build(Shape(f["x"].shape().begin() + 1, f["x"].shape().end()));
  const Tensor& y = l->forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["y"].shape());
  EXPECT_TRUE(all_close(y, f["y"], 0, 0));
  EXPECT_TRUE(all_close(l->backward(f["dy"], true), f["dx"], 1e-6, 1e-7));
}

INSTANTIATE_TEST_SUITE_P(Cases, MaxPool2DFixture,
                         ::testing::Values(Case{"max_pool2d_same_7", {{"pool", 2}, {"padding", "same"}}},
                                           Case{"max_pool2d_valid_2", {{"pool", 2}}},
                                           Case{"max_pool2d_wide_28", {{"pool", 2}}},
                                           Case{"max_pool2d_same_35", {{"pool", 2}, {"padding", "same"}}},
                                           Case{"max_pool2d_valid_3s2", {{"pool", 3}, {"stride", 2}}}),
                         [](const auto& info) { return std::string(info.param.fixture); });

// The 2x2 stride-2 path (vectorised four windows at a time, scalar for the rest of a row)
// against a plain scan, on the model's widths (28, 14, 7 with 'same') and with many exact
// ties (values from {0, 1, 2}): the first maximum in row-major order must win, as in PyTorch.
TEST(MaxPool2D, TwoByTwoWithTiesMatchesPlainScan) {
  for (int64_t w : {28, 14, 13, 7, 9}) {
    const int64_t C = 3, B = 2;
    auto l = make({{"pool", 2}, {"padding", "same"}});
    l->build({C, w, w});
    Tensor x({B, C, w, w});
    Rng rng(w);
    for (float& v : x) v = static_cast<float>(rng.below(3));
    const Tensor y = l->forward(x, nn::Mode::train);
    const int64_t o = (w + 1) / 2;
    ASSERT_EQ(y.shape(), (Shape{B, C, o, o}));
    Tensor g(y.shape());
    for (float& v : g) v = rng.uniform();
    const Tensor dx = l->backward(g, true);
    std::vector<float> ry(y.size()), rdx(x.size(), 0.0f);
    for (int64_t p = 0; p < B * C; ++p)
      for (int64_t i = 0; i < o; ++i)
        for (int64_t j = 0; j < o; ++j) {
          int64_t best = -1;
          for (int64_t u = 2 * i; u < std::min(2 * i + 2, w); ++u)
            for (int64_t v = 2 * j; v < std::min(2 * j + 2, w); ++v) {
              const int64_t k = p * w * w + u * w + v;
              if (best < 0 || x[k] > x[best]) best = k;
            }
          ry[p * o * o + i * o + j] = x[best];
          rdx[best] += g[p * o * o + i * o + j];
        }
    for (int64_t i = 0; i < y.size(); ++i) ASSERT_EQ(y[i], ry[i]) << "w " << w << " y[" << i << "]";
    for (int64_t i = 0; i < dx.size(); ++i) ASSERT_EQ(dx[i], rdx[i]) << "w " << w << " dx[" << i << "]";
  }
}

TEST(MaxPool2D, GradientCheck) {
  // 2x2 'same' and 'valid' on odd sizes (a missing / a dropped last row and column)
  for (json cfg : {json{{"pool", 2}, {"padding", "same"}}, json{{"pool", 2}}, json{{"pool", 3}, {"stride", 2}},
                   json{{"pool", {2, 3}}, {"stride", {1, 2}}, {"padding", "same"}}}) {
    auto l = make(cfg);
    l->build({2, 5, 7});
    EXPECT_TRUE(check_layer_gradients(*l, distinct_tensor({2, 2, 5, 7}, 3), 4)) << cfg.dump();
  }
}

TEST(MaxPool2D, SaveLoadRoundTrip) {
  auto l = make({{"pool", 2}, {"stride", 1}, {"padding", "same"}});
  l->build({3, 5, 4});
  EXPECT_TRUE(check_roundtrip(*l, random_tensor({2, 3, 5, 4}, 1)));
}

TEST(MaxPool2D, OutputShapes) {
  EXPECT_EQ(make({{"pool", 2}, {"padding", "same"}})->build({32, 28, 28}), (Shape{32, 14, 14}));
  EXPECT_EQ(make({{"pool", 2}, {"padding", "same"}})->build({16, 7, 7}), (Shape{16, 4, 4}));
  EXPECT_EQ(make({{"pool", 2}})->build({16, 7, 7}), (Shape{16, 3, 3}));
  EXPECT_EQ(make({{"pool", 3}, {"stride", 1}, {"padding", "same"}})->build({1, 5, 6}), (Shape{1, 5, 6}));
}

TEST(MaxPool2D, ErrorsNameTheLayer) {
  try {
    make({{"pool", 3}})->build({4, 2, 2});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "max_pool2d: pool 3x3 larger than input 2x2 with padding valid");
  }
  EXPECT_THROW(make({{"pool", 2}})->build({4, 8}), InputError);
  EXPECT_THROW(make({{"pool", 2}, {"padding", 1}}), InputError);
  EXPECT_THROW(make({{"pool", 0}}), InputError);
  EXPECT_THROW(make({{"pool_size", 2}}), InputError);
  EXPECT_EQ(make({})->build({1, 6, 6}), (Shape{1, 3, 3}));  // Keras's default pool 2
}

}  // namespace
