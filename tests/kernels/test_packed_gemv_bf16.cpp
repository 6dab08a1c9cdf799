// PackedGemv under bf16 (kernels/packed_gemv_bf16.h): bf16 rounding ties to even and keeps NaN,
// the vector packing rounds as the scalar does and lists the nonzero pairs;
// the product equals a double-precision product of the bf16-rounded weights and inputs (it really
// reads bf16 and sums in fp32) for dense and mostly-zero inputs, odd input counts, widths that are
// not multiples of a vector, more vectors than one block, one and two threads, each fused
// activation; it differs from fp32 by more than fp32 rounding could (a silent fp32 fails), and NaN
// inputs propagate. The frozen encoder under bf16 says so in its steps and gives codes within bf16
// rounding of fp32's. Skipped on a CPU without native bf16.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "kernels/packed_gemv.h"
#include "kernels/packed_gemv_bf16.h"
#include "models/frozen_encoder.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::random_values;

#define REQUIRE_BF16()                                                    \
  if (!cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16"

TEST(Bf16Rounding, NearestTiesToEvenAndNaNKept) {
  EXPECT_EQ(to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(to_bf16(1.0f + 0x1p-7f), 0x3f81);         // representable
  EXPECT_EQ(to_bf16(1.0f + 0x1p-8f), 0x3f80);         // halfway: to the even 0x3f80
  EXPECT_EQ(to_bf16(1.0f + 3 * 0x1p-8f), 0x3f82);     // halfway: to the even 0x3f82
  EXPECT_EQ(to_bf16(1.0f + 0x1p-8f + 0x1p-16f), 0x3f81);  // above halfway: up
  EXPECT_EQ(to_bf16(-2.5f), 0xc020);
  EXPECT_EQ(from_bf16(to_bf16(-2.5f)), -2.5f);
  EXPECT_TRUE(std::isnan(from_bf16(to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  // A NaN whose payload sits only in the low half must not become infinity.
  uint32_t low_payload_nan = 0x7f800001u;
  float x;
  std::memcpy(&x, &low_payload_nan, 4);
  EXPECT_TRUE(std::isnan(from_bf16(to_bf16(x))));
  EXPECT_TRUE(std::isinf(from_bf16(to_bf16(std::numeric_limits<float>::infinity()))));
}

TEST(Bf16Packing, VectorPackingRoundsAsTheScalarAndListsNonzeroPairs) {
  REQUIRE_BF16();
  Rng rng(11);
  for (int64_t k : {1, 2, 15, 16, 17, 31, 33, 784}) {
    auto x = random_values(k, rng);
    // Specials among ordinary values: ties, NaN with a low payload, infinity, a denormal, -0.
    const uint32_t special[] = {0x3f808000u, 0x3f818000u, 0x7f800001u, 0x7f800000u, 0x00000001u, 0x80000000u, 0u};
    for (int64_t i = 0; i < k; ++i)
      if (rng.uniform() < 0.4) std::memcpy(&x[i], &special[static_cast<size_t>(i % 7)], 4);
    std::vector<uint32_t> pairs((k + 1) / 2 + 1, 0xdeadbeefu);
    pack_bf16_pairs(x.data(), k, pairs.data());
    for (int64_t p = 0; p < (k + 1) / 2; ++p) {
      const uint32_t want =
          to_bf16(x[2 * p]) | (2 * p + 1 < k ? static_cast<uint32_t>(to_bf16(x[2 * p + 1])) << 16 : 0u);
      ASSERT_EQ(pairs[p], want) << "k " << k << " pair " << p;
    }
    EXPECT_EQ(pairs[(k + 1) / 2], 0xdeadbeefu) << "wrote past the last pair, k " << k;
    std::vector<int32_t> idx((k + 1) / 2 + 16);
    const int64_t n = nonzero_pairs(pairs.data(), (k + 1) / 2, idx.data());
    int64_t m = 0;
    for (int64_t p = 0; p < (k + 1) / 2; ++p) {
      if (pairs[p] != 0) {
        ASSERT_EQ(idx[m++], p);
      }
    }
    EXPECT_EQ(n, m);
  }
}

float act_of(double s, Fused act, float alpha) {
  if (act == Fused::relu) return s <= 0 ? 0.0f : static_cast<float>(s);
  if (act == Fused::leaky_relu) return static_cast<float>(s <= 0 ? s * alpha : s);
  return static_cast<float>(s);
}

struct Case {
  int64_t n, k;
  double zero_fraction;  // inputs set to zero (images are mostly background)
  int threads;
  Fused act;
};

class PackedGemvBf16 : public ::testing::TestWithParam<Case> {};

TEST_P(PackedGemvBf16, EqualsTheProductOfBf16InputsAndDiffersFromFp32) {
  REQUIRE_BF16();
  const Case c = GetParam();
  Rng rng(static_cast<uint64_t>(c.n * 1000 + c.k));
  const auto w = random_values(c.n * c.k, rng), b = random_values(c.n, rng);
  auto x = random_values(c.k, rng);
  for (float& v : x)
    if (rng.uniform() < c.zero_fraction) v = 0;
  const float alpha = 0.1f;
  PackedGemv bf16(w.data(), b.data(), c.n, c.k, c.threads, Precision::bf16);
  PackedGemv fp32(w.data(), b.data(), c.n, c.k, c.threads, Precision::fp32);
  ASSERT_EQ(bf16.precision(), Precision::bf16);
  std::vector<float> y(c.n), y32(c.n);
  bf16.run(x.data(), y.data(), c.act, alpha);
  fp32.run(x.data(), y32.data(), c.act, alpha);
  double worst = 0, farthest_from_fp32 = 0;
  for (int64_t j = 0; j < c.n; ++j) {
    double exact = b[j], scale = std::fabs(b[j]);
    for (int64_t i = 0; i < c.k; ++i) {
      const double term = static_cast<double>(from_bf16(to_bf16(w[j * c.k + i]))) * from_bf16(to_bf16(x[i]));
      exact += term, scale += std::fabs(term);
    }
    const float want = act_of(exact, c.act, alpha);
    const double slope = c.act == Fused::leaky_relu && exact <= 0 ? alpha : 1;
    worst = std::max(worst, std::fabs(y[j] - want) / (slope * scale));
    farthest_from_fp32 = std::max(farthest_from_fp32, std::fabs(y[j] - y32[j]) / (slope * scale));
  }
  // fp32 accumulation of bf16 products: within ~1e-7 of the scale (2e-6 allowed); bf16 inputs
  // move a random product by ~1e-3 of its scale, fp32 rounding by ~1e-7.
  EXPECT_LT(worst, 2e-6);
  if (c.k >= 16) {
    EXPECT_GT(farthest_from_fp32, 1e-4);  // enough terms that some rounding shows
  }
  EXPECT_LT(farthest_from_fp32, 1.0 / 256);
}

INSTANTIATE_TEST_SUITE_P(Shapes, PackedGemvBf16,
                         ::testing::Values(Case{400, 784, 0.81, 2, Fused::relu},   // model 1's first layer, MNIST-like
                                           Case{400, 784, 0.0, 2, Fused::relu},    // dense input, two threads
                                           Case{20, 400, 0.5, 1, Fused::none},     // its mean head
                                           Case{17, 35, 0.0, 1, Fused::leaky_relu},  // odd k, a partial vector
                                           Case{1000, 37, 0.3, 1, Fused::none},    // more vectors than one block
                                           Case{5, 1, 0.0, 1, Fused::relu}));       // one input

TEST(PackedGemvBf16Edges, NaNInputPropagatesAndZeroInputGivesTheBias) {
  REQUIRE_BF16();
  Rng rng(3);
  const int64_t n = 40, k = 64;
  const auto w = random_values(n * k, rng), b = random_values(n, rng);
  PackedGemv g(w.data(), b.data(), n, k, 1, Precision::bf16);
  std::vector<float> x(k, 0.0f), y(n);
  g.run(x.data(), y.data(), Fused::none, 0);
  for (int64_t j = 0; j < n; ++j) EXPECT_EQ(y[j], b[j]);
  x[9] = std::numeric_limits<float>::quiet_NaN();
  g.run(x.data(), y.data(), Fused::relu, 0);
  for (int64_t j = 0; j < n; ++j) EXPECT_TRUE(std::isnan(y[j])) << j;
}

TEST(FrozenEncoderBf16, StepsSayBf16AndCodesAreWithinBf16OfFp32) {
  REQUIRE_BF16();
  const char* cfg = R"({"encoder": [{"type": "dense", "units": 400, "activation": "relu"}],
    "vae": {"latent": 20},
    "decoder": [{"type": "dense", "units": 784, "activation": "sigmoid"}],
    "loss": {"type": "bce", "reduction": "sum"}, "init": "pytorch"})";
  models::Autoencoder model(nlohmann::json::parse(cfg), {1, 28, 28});
  Rng rng(11);
  model.init(rng);
  models::FrozenEncoder f32(model), bf16(model, Precision::bf16);
  for (const std::string& s : bf16.steps()) EXPECT_NE(s.find("bf16"), std::string::npos) << s;
  for (const std::string& s : f32.steps()) EXPECT_EQ(s.find("bf16"), std::string::npos) << s;
  std::vector<float> x(784);
  for (float& v : x) v = rng.uniform() < 0.8 ? 0.0f : rng.uniform();
  const float* code = f32.encode(x.data());
  const std::vector<float> a(code, code + 20);
  const float* c = bf16.encode(x.data());
  double diff = 0, size = 0;
  for (int i = 0; i < 20; ++i) diff = std::max(diff, double(std::fabs(c[i] - a[i]))), size = std::max(size, double(std::fabs(a[i])));
  EXPECT_GT(diff, 0.0);           // really bf16
  EXPECT_LT(diff, 0.02 * size);  // two layers of bf16 inputs: well within 2 % of the codes' size
}

}  // namespace
}  // namespace aekit::kernels
