#include "nn/bidirectional.h"

#include <gtest/gtest.h>

#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

struct Case {
  const char* fixture;
  nn::Bidirectional::Merge merge;
  int64_t units;
  bool seq;
};

class BidirectionalTest : public ::testing::TestWithParam<Case> {};

TEST_P(BidirectionalTest, MatchesPyTorch) {
  const Case c = GetParam();
  Fixture f(c.fixture);
  nn::Bidirectional l(c.merge, c.units, c.seq);
  l.build({5, 4});
  for (const auto& p : l.params()) {
    ASSERT_EQ(p.value->shape(), f[p.name].shape()) << p.name;
    *p.value = f[p.name];
  }
  const Tensor& y = l.forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["y"].shape());
  EXPECT_TRUE(all_close(y, f["y"], 1e-5, 1e-6));
  const Tensor& dx = l.backward(f["dy"], true);
  EXPECT_TRUE(all_close(dx, f["dx"], 1e-5, 1e-6));
  for (const auto& p : l.params()) EXPECT_TRUE(all_close(*p.grad, f["d" + p.name], 1e-5, 1e-6)) << p.name;
}

TEST_P(BidirectionalTest, GradientCheck) {
  const Case c = GetParam();
  nn::Bidirectional l(c.merge, 3, c.seq);
  l.build({4, 2});
  Rng rng(5);
  l.init(rng, nn::Init::pytorch);
  EXPECT_TRUE(check_layer_gradients(l, random_tensor({2, 4, 2}, 7), 8));
}

TEST_P(BidirectionalTest, SaveLoadRoundTrip) {
  const Case c = GetParam();
  nn::Bidirectional l(c.merge, 5, c.seq);
  l.build({6, 3});
  Rng rng(1);
  l.init(rng, nn::Init::keras);
  EXPECT_TRUE(check_roundtrip(l, random_tensor({2, 6, 3}, 2)));
}

INSTANTIATE_TEST_SUITE_P(
    Merges, BidirectionalTest,
    ::testing::Values(Case{"bidirectional_sum_last", nn::Bidirectional::Merge::sum, 9, false},
                      Case{"bidirectional_sum_seq", nn::Bidirectional::Merge::sum, 9, true},
                      Case{"bidirectional_concat_last", nn::Bidirectional::Merge::concat, 6, false},
                      Case{"bidirectional_concat_seq", nn::Bidirectional::Merge::concat, 6, true}),
    [](const auto& info) { return std::string(info.param.fixture).substr(14); });

TEST(Bidirectional, ParamNamesLoadIntoTorchBidirectionalLstm) {
  nn::Bidirectional l(nn::Bidirectional::Merge::concat, 4, false);
  l.build({3, 2});
  std::vector<std::string> names;
  for (const auto& p : l.params()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                             "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                                             "bias_ih_l0_reverse", "bias_hh_l0_reverse"}));
}

TEST(Bidirectional, ConfigShapesAndErrors) {
  const nlohmann::json cfg = {{"type", "bidirectional"},
                              {"merge", "sum"},
                              {"layer", {{"type", "lstm"}, {"units", 8}, {"return_sequences", false}}}};
  nn::LayerPtr sum = nn::make_layer(cfg, "encoder[0]");
  EXPECT_EQ(sum->build({50, 3}), (Shape{8}));
  EXPECT_EQ(sum->config(), cfg);
  nlohmann::json concat = cfg;
  concat["merge"] = "concat";
  concat["layer"]["return_sequences"] = true;
  EXPECT_EQ(nn::make_layer(concat, "e")->build({50, 3}), (Shape{50, 16}));
  nlohmann::json bad = cfg;
  bad["merge"] = "ave";
  EXPECT_THROW(nn::make_layer(bad, "e"), InputError);
  bad = cfg;
  bad["layer"]["type"] = "dense";
  EXPECT_THROW(nn::make_layer(bad, "e"), InputError);
  bad.erase("layer");
  EXPECT_THROW(nn::make_layer(bad, "e"), InputError);
}

}  // namespace
