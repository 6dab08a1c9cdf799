#include <gtest/gtest.h>

#include <cmath>

#include "data/noise.h"
#include "tensor/error.h"

using namespace aekit;

TEST(Noise, AddsShiftedGaussianAndClips) {
  Tensor x({1000, 10});
  x.fill(0.5f);
  Tensor out;
  Rng rng(1);
  data::add_noise(x, out, data::parse_noise({{"mean", 0.5}, {"std", 0.5}}), rng);
  double m = 0, v = 0;
  for (float o : out) m += o / out.size();
  for (float o : out) v += (o - m) * (o - m) / out.size();
  EXPECT_NEAR(m, 1.0, 0.02);
  EXPECT_NEAR(std::sqrt(v), 0.5, 0.02);
  data::add_noise(x, out, data::parse_noise({{"std", 0.5}, {"clip", {0, 1}}}), rng);
  float lo = 1, hi = 0;
  for (float o : out) lo = std::min(lo, o), hi = std::max(hi, o);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 1.0f);
}

TEST(Noise, SameSeedSameCorruption) {
  Tensor x({4, 4}), a, b;
  Rng r1(9), r2(9);
  const data::NoiseSpec s = data::parse_noise({{"std", 0.3}});
  data::add_noise(x, a, s, r1);
  data::add_noise(x, b, s, r2);
  for (int64_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
}

TEST(Noise, BadSpecsAreInputErrors) {
  EXPECT_THROW(data::parse_noise({{"sigma", 0.5}}), InputError);
  EXPECT_THROW(data::parse_noise({{"std", -1}}), InputError);
  EXPECT_THROW(data::parse_noise({{"std", 0.5}, {"clip", {1, 0}}}), InputError);
  EXPECT_FALSE(data::parse_noise(nlohmann::json()).active());
}
