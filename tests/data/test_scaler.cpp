#include "data/scaler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "data_test_util.h"

namespace aekit::data {
namespace {

using datatest::expect_input_error;

// Columns: 1..4 (mean 2.5), 10..40 (mean 25), constant 5.
Tensor hand_table() { return Tensor({4, 3}, {1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5}); }

TEST(DataScaler, FitsPopulationMeanAndStd) {
  StandardScaler s;
  s.fit(hand_table());
  ASSERT_EQ(s.features(), 3);
  EXPECT_DOUBLE_EQ(s.mean()[0], 2.5);
  EXPECT_DOUBLE_EQ(s.mean()[1], 25.0);
  EXPECT_DOUBLE_EQ(s.mean()[2], 5.0);
  // Population variance of 1..4: ((1.5^2 + 0.5^2) * 2) / 4 = 1.25 (ddof = 1 would give 5/3).
  EXPECT_DOUBLE_EQ(s.scale()[0], std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(s.scale()[1], std::sqrt(125.0));
  EXPECT_EQ(s.scale()[2], 1.0);  // constant feature
}

TEST(DataScaler, TransformStandardisesAndInverts) {
  StandardScaler s;
  const Tensor x = hand_table();
  s.fit(x);
  Tensor z = x;
  s.transform(z);
  const double a = 1.5 / std::sqrt(1.25), b = 0.5 / std::sqrt(1.25);  // 1.3416..., 0.4472...
  const std::vector<double> want = {-a, -a, 0, -b, -b, 0, b, b, 0, a, a, 0};
  for (int i = 0; i < 12; ++i) EXPECT_NEAR(z[i], want[i], 1e-6) << i;

  s.inverse_transform(z);
  for (int i = 0; i < 12; ++i) EXPECT_NEAR(z[i], x[i], 1e-5) << i;
}

TEST(DataScaler, ConstantColumnOfInexactValues) {
  // 0.1f is not exact in binary; the column must still count as constant, not get a tiny std.
  StandardScaler s;
  s.fit(Tensor({3, 1}, {0.1f, 0.1f, 0.1f}));
  EXPECT_EQ(s.scale()[0], 1.0);
  Tensor z({1, 1}, {0.1f});
  s.transform(z);
  EXPECT_EQ(z[0], 0.0f);
}

TEST(DataScaler, JsonRoundTripIsExact) {
  StandardScaler s;
  s.fit(Tensor({3, 2}, {0.1f, 7.3f, 0.25f, -2.0f, 1e-3f, 123.456f}));
  const std::string text = s.to_json().dump();
  const StandardScaler back = StandardScaler::from_json(nlohmann::json::parse(text));
  EXPECT_EQ(back.mean(), s.mean());
  EXPECT_EQ(back.scale(), s.scale());
  Tensor a({1, 2}, {3.0f, 4.0f}), b = a;
  s.transform(a);
  back.transform(b);
  EXPECT_EQ(a.to_vector(), b.to_vector());
}

TEST(DataScaler, RejectsBadInput) {
  StandardScaler s;
  expect_input_error([&] { s.fit(Tensor({2, 2}, {1, NAN, 3, 4})); }, {"feature 1", "NaN"});
  expect_input_error([&] { s.fit(Tensor({0, 3})); }, {"StandardScaler", "[0,3]"});
  EXPECT_THROW(s.transform(*std::make_unique<Tensor>(Shape{1, 3})), std::logic_error);
  s.fit(hand_table());
  Tensor wrong({2, 4});
  expect_input_error([&] { s.transform(wrong); }, {"[2,4]", "3 features"});
}

TEST(DataScaler, RejectsMalformedJson) {
  using nlohmann::json;
  const json good = {{"kind", "standard_scaler"}, {"mean", {1.0}}, {"scale", {2.0}}};
  EXPECT_NO_THROW(StandardScaler::from_json(good));
  json no_scale = good;
  no_scale.erase("scale");
  json zero_scale = good;
  zero_scale["scale"] = {0.0};
  json lengths = good;
  lengths["mean"] = {1.0, 2.0};
  json strings = good;
  strings["mean"] = {"a"};
  json kind = good;
  kind["kind"] = "minmax";
  for (const json& bad : {no_scale, zero_scale, lengths, strings, kind, json::array()})
    expect_input_error([&] { StandardScaler::from_json(bad); }, {"StandardScaler: "});
}

}  // namespace
}  // namespace aekit::data
