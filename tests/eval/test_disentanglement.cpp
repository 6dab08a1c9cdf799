#include "eval/disentanglement.h"

#include <gtest/gtest.h>

#include <unordered_map>

#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::eval {
namespace {

uint64_t hash_image(const float* p, int64_t n) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the pixels' on/off bits
  for (int64_t i = 0; i < n; ++i) h = (h ^ (p[i] != 0)) * 1099511628211ull;
  return h;
}

// Knows every image the generator can draw and returns its factors as floats. Images that
// coincide (a square or ellipse half a turn round) get the factors of the first one rendered.
class Oracle {
 public:
  Oracle() {
    const auto sizes = data::factor_sizes();
    const int64_t px = data::kShapesSize * data::kShapesSize;
    data::ShapesFactors f;
    for (f.shape = 0; f.shape < sizes[0]; ++f.shape)
      for (f.scale = 0; f.scale < sizes[1]; ++f.scale)
        for (f.rotation = 0; f.rotation < sizes[2]; ++f.rotation)
          for (f.x = 0; f.x < sizes[3]; ++f.x)
            for (f.y = 0; f.y < sizes[4]; ++f.y) table_.emplace(hash_image(data::render_shape(f).data(), px), f);
  }
  // Keeps only the factors in `keep` (others become noise) when keep is not empty.
  Tensor operator()(const Tensor& images, const std::vector<int>& keep = {}) const {
    const int64_t n = images.dim(0), px = images.sample_size();
    Tensor z({n, 5});
    Rng rng(static_cast<uint64_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const data::ShapesFactors& f = table_.at(hash_image(images.data() + i * px, px));
      for (int k = 0; k < 5; ++k)
        z[i * 5 + k] = keep.empty() || std::count(keep.begin(), keep.end(), k) ? static_cast<float>(data::factor(f, k)) : rng.normal();
    }
    return z;
  }

 private:
  std::unordered_map<uint64_t, data::ShapesFactors> table_;
};

const Oracle& oracle() {
  static const Oracle o;
  return o;
}

Tensor noise_codes(int64_t n, int64_t latent, uint64_t seed) {
  Tensor z({n, latent});
  Rng rng(seed);
  for (float& v : z) v = rng.normal();
  return z;
}

TEST(BetaVaeMetric, OracleScoresOne) {
  const double s = beta_vae_metric([](const Tensor& x) { return oracle()(x); }, 1, 500, 300, 16);
  EXPECT_GE(s, 0.99);
}

TEST(BetaVaeMetric, NoiseScoresChance) {
  Rng rng(2);
  const auto noise = [&](const Tensor& x) {
    Tensor z({x.dim(0), 6});
    for (float& v : z) v = rng.normal();
    return z;
  };
  const double s = beta_vae_metric(noise, 1, 500, 500, 16);
  EXPECT_NEAR(s, 0.2, 0.07);
}

// Codes that hold only x and y identify those two factors and guess among the other three:
// 2/5 + 3/5 * 1/3 = 0.6.
TEST(BetaVaeMetric, PartialCodesScoreInBetween) {
  const double s = beta_vae_metric([](const Tensor& x) { return oracle()(x, {3, 4}); }, 3, 600, 600, 16);
  EXPECT_NEAR(s, 0.6, 0.07);
}

TEST(BetaVaeMetric, DeterministicPerSeedAndChecksTheEncoder) {
  const auto half = [](const Tensor& x) { return oracle()(x, {0, 2}); };
  EXPECT_EQ(beta_vae_metric(half, 5, 100, 100, 4), beta_vae_metric(half, 5, 100, 100, 4));
  EXPECT_THROW(beta_vae_metric([](const Tensor& x) { return Tensor({x.dim(0) - 1, 3}); }, 1, 10, 10, 2), InputError);
  EXPECT_THROW(beta_vae_metric(half, 1, 0, 10, 2), InputError);
  EXPECT_THROW(beta_vae_metric(half, 1, 10, 10, 0), InputError);
}

TEST(Mig, TrueFactorsScoreNearOne) {
  const data::ShapesSet set = data::make_shapes(5000, 4);
  Tensor z({5000, 5});
  for (int64_t i = 0; i < 5000; ++i)
    for (int k = 0; k < 5; ++k) z[i * 5 + k] = 0.5f * data::factor(set.factors[i], k) - 3;  // any affine map
  EXPECT_GT(mig(z, set.factors), 0.97);
  // Codes from the images through the oracle agree (the ambiguous rotations cost a little).
  EXPECT_GT(mig(oracle()(set.x), set.factors), 0.9);
}

TEST(Mig, DuplicatedLatentHasNoGap) {
  // Latents shape, shape, scale, rotation, x, y: the shape factor's two best latents tie.
  const data::ShapesSet set = data::make_shapes(5000, 5);
  Tensor z({5000, 6});
  for (int64_t i = 0; i < 5000; ++i) {
    z[i * 6] = static_cast<float>(set.factors[i].shape);
    for (int k = 0; k < 5; ++k) z[i * 6 + 1 + k] = static_cast<float>(data::factor(set.factors[i], k));
  }
  EXPECT_NEAR(mig(z, set.factors), 0.8, 0.02);
}

TEST(Mig, NoiseScoresZero) {
  const data::ShapesSet set = data::make_shapes(5000, 6);
  const double m = mig(noise_codes(5000, 10, 7), set.factors);
  EXPECT_GE(m, 0.0);
  EXPECT_LT(m, 0.02);
}

TEST(Mig, RejectsBadInput) {
  const data::ShapesSet set = data::make_shapes(50, 1);
  EXPECT_THROW(mig(noise_codes(49, 3, 1), set.factors), InputError);
  EXPECT_THROW(mig(noise_codes(50, 1, 1), set.factors), InputError);
  std::vector<data::ShapesFactors> constant(50);
  EXPECT_THROW(mig(noise_codes(50, 3, 1), constant), InputError);
}

}  // namespace
}  // namespace aekit::eval
