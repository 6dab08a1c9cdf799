// The direct convolution kernel (kernels/conv_direct.cpp) on every case its tiling has to get
// right, against a double-precision reference: kernel heights 1 to 7, rectangular kernels,
// asymmetric padding, planes shorter than a tile or with a partial last tile, widths of one
// vector, two, and more than two (several column groups), transposed convolutions (run as the
// flipped convolution), several samples split over one or two threads. Forward, data gradient,
// weight and bias gradients each.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kernels/conv.h"
#include "kernels/conv_direct.h"
#include "kernels/matmul.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::random_values;

std::string describe(const ConvSpec& s) {
  return std::string(s.transposed ? "transposed " : "") + std::to_string(s.c) + "->" + std::to_string(s.f) + " " +
         std::to_string(s.h) + "x" + std::to_string(s.w) + " kernel " + std::to_string(s.kh) + "x" +
         std::to_string(s.kw) + " pad " + std::to_string(s.pt) + "," + std::to_string(s.pl) + "," +
         std::to_string(s.pb) + "," + std::to_string(s.pr);
}

// Reference in double. A convolution: y[n][f][i][j] = b[f] + sum w[f][c][u][v] x[n][c][i+u-pt][j+v-pl].
// A transposed one scatters: y[n][f][i*1+u-pt][j+v-pl] += w[c][f][u][v] x[n][c][i][j].
struct Reference {
  std::vector<double> y, dx, dw, db;
  Reference(const ConvSpec& s, int64_t batch, const std::vector<float>& x, const std::vector<float>& w,
            const std::vector<float>& b, const std::vector<float>& g) {
    const int64_t oh = s.out_h(), ow = s.out_w();
    y.assign(batch * s.f * oh * ow, 0.0), dx.assign(x.size(), 0.0), dw.assign(w.size(), 0.0), db.assign(s.f, 0.0);
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t f = 0; f < s.f; ++f)
        for (int64_t c = 0; c < s.c; ++c)
          for (int64_t u = 0; u < s.kh; ++u)
            for (int64_t v = 0; v < s.kw; ++v)
              for (int64_t i = 0; i < s.h; ++i)
                for (int64_t j = 0; j < s.w; ++j) {
                  // input (i, j) meets output (r, q) through tap (u, v)
                  const int64_t r = s.transposed ? i + u - s.pt : i - u + s.pt;
                  const int64_t q = s.transposed ? j + v - s.pl : j - v + s.pl;
                  if (r < 0 || r >= oh || q < 0 || q >= ow) continue;
                  const int64_t xi = ((n * s.c + c) * s.h + i) * s.w + j, yi = ((n * s.f + f) * oh + r) * ow + q;
                  const int64_t wi = s.transposed ? ((c * s.f + f) * s.kh + u) * s.kw + v : ((f * s.c + c) * s.kh + u) * s.kw + v;
                  y[yi] += static_cast<double>(w[wi]) * x[xi];
                  dx[xi] += static_cast<double>(w[wi]) * g[yi];
                  dw[wi] += static_cast<double>(x[xi]) * g[yi];
                }
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t f = 0; f < s.f; ++f)
        for (int64_t k = 0; k < oh * ow; ++k) {
          y[(n * s.f + f) * oh * ow + k] += b[f];
          db[f] += g[(n * s.f + f) * oh * ow + k];
        }
  }
};

::testing::AssertionResult near(const std::vector<float>& a, const std::vector<double>& ref, double scale,
                                const char* what) {
  if (a.size() != ref.size()) return ::testing::AssertionFailure() << what << ": size " << a.size();
  for (size_t i = 0; i < ref.size(); ++i)
    if (!(std::fabs(a[i] - ref[i]) <= 1e-5 * scale * (1 + std::fabs(ref[i]))))
      return ::testing::AssertionFailure() << what << " element " << i << ": " << a[i] << " vs " << ref[i];
  return ::testing::AssertionSuccess();
}

void check(const ConvSpec& s, int64_t batch, int threads) {
  ASSERT_TRUE(direct_suits(s)) << describe(s);
  Rng rng(static_cast<uint64_t>(s.c * 7919 + s.f * 104729 + s.h * 31 + s.w * 17 + s.kh * 5 + s.kw + s.pt * 3));
  const int64_t oh = s.out_h(), ow = s.out_w();
  const auto x = random_values(batch * s.c * s.h * s.w, rng), w = random_values(s.c * s.f * s.kh * s.kw, rng),
             b = random_values(s.f, rng), g = random_values(batch * s.f * oh * ow, rng);
  const Reference ref(s, batch, x, w, b, g);

  const int before = kernels::threads();
  set_threads(threads);
  const auto plan = make_direct_plan(s, batch);
  std::vector<float> y(ref.y.size(), NAN), dx(x.size(), NAN), dw(w.size(), NAN), db(b.size(), NAN);
  plan->forward(x.data(), w.data(), b.data(), y.data());
  plan->backward(OutputGrad{g.data(), nullptr}, w.data(), dw.data(), db.data(), dx.data());
  set_threads(before);
  const double terms = static_cast<double>(s.c * s.kh * s.kw), sums = static_cast<double>(batch * oh * ow);
  EXPECT_TRUE(near(y, ref.y, std::sqrt(terms), "forward")) << describe(s) << ", " << threads << " threads";
  EXPECT_TRUE(near(dx, ref.dx, std::sqrt(terms * s.f), "data gradient")) << describe(s);
  EXPECT_TRUE(near(dw, ref.dw, std::sqrt(sums), "weight gradient")) << describe(s);
  EXPECT_TRUE(near(db, ref.db, std::sqrt(sums), "bias gradient")) << describe(s);
}

ConvSpec spec(int64_t c, int64_t f, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t pt, int64_t pl, int64_t pb,
              int64_t pr, bool transposed = false) {
  ConvSpec s;
  s.c = c, s.f = f, s.h = h, s.w = w, s.kh = kh, s.kw = kw;
  s.pt = pt, s.pl = pl, s.pb = pb, s.pr = pr;
  s.transposed = transposed;
  return s;
}

TEST(ConvDirect, EveryKernelHeightSameAndValid) {
  for (int64_t k = 1; k <= 7; ++k) {
    check(spec(2, 3, 11, 13, k, k, (k - 1) / 2, (k - 1) / 2, k / 2, k / 2), 2, 1);  // 'same'
    check(spec(3, 1, 12, 12, k, k, 0, 0, 0, 0), 3, 2);                              // 'valid'
  }
}

TEST(ConvDirect, TheModelsShapes) {
  check(spec(1, 32, 28, 28, 3, 3, 1, 1, 1, 1), 3, 2);        // chapter 002, first layer
  check(spec(32, 1, 28, 28, 3, 3, 1, 1, 1, 1), 3, 2);        // chapter 002, last layer
  check(spec(1, 64, 28, 28, 5, 5, 0, 0, 0, 0), 2, 2);        // chapter 001 conv VAE, first layer
  check(spec(64, 1, 24, 24, 5, 5, 0, 0, 0, 0, true), 2, 2);  // its last, transposed 24 -> 28
}

TEST(ConvDirect, WidthsAcrossVectorsAndColumnGroups) {
  // 1 lane, a vector and one more, exactly two vectors (16 or 8 lanes), several column groups
  for (int64_t w : {1, 5, 9, 16, 17, 32, 33, 40, 70}) check(spec(2, 2, 5, w, 3, 3, 1, 1, 1, 1), 2, 1);
}

TEST(ConvDirect, HeightsShorterThanATileAndPartialTiles) {
  for (int64_t h : {1, 2, 3, 6, 7, 8, 9, 15, 22}) check(spec(2, 5, h, 10, 3, 3, 1, 1, 1, 1), 2, 2);
}

TEST(ConvDirect, RectangularKernelsAndAsymmetricPadding) {
  check(spec(2, 3, 9, 11, 4, 2, 1, 0, 2, 1), 2, 1);  // 'same' with an even kernel
  check(spec(3, 2, 10, 8, 2, 5, 1, 4, 0, 0), 2, 2);
  check(spec(1, 4, 7, 7, 7, 3, 6, 2, 6, 2), 1, 1);  // padding kernel - 1: a full correlation
}

TEST(ConvDirect, TransposedStrideOne) {
  check(spec(4, 1, 12, 12, 3, 3, 1, 1, 1, 1, true), 2, 2);  // crop 1: 'same'
  check(spec(3, 2, 7, 9, 3, 5, 0, 0, 0, 0, true), 2, 1);    // 'valid': the output grows
  check(spec(2, 6, 6, 6, 4, 4, 1, 1, 2, 2, true), 2, 2);    // even kernel, asymmetric crop
}

// A first layer with relu / leaky_relu: no data gradient, so the kernel makes
// g = (y > 0 ? 1 : slope) * dy itself while loading its tiles of dy.
TEST(ConvDirect, WeightGradientMakesTheActivationGradientItself) {
  for (float slope : {0.0f, 0.2f}) {
    ConvSpec s = spec(1, 5, 9, 20, 3, 3, 1, 1, 1, 1);
    s.act = slope == 0 ? Fused::relu : Fused::leaky_relu;
    s.alpha = slope;
    const int64_t batch = 3, n_out = batch * s.f * s.out_h() * s.out_w();
    Rng rng(17);
    const auto x = random_values(batch * s.c * s.h * s.w, rng), w = random_values(s.c * s.f * 9, rng),
               b = random_values(s.f, rng), dy = random_values(n_out, rng);
    const auto plan = make_direct_plan(s, batch);
    std::vector<float> y(n_out), dw(w.size(), NAN), db(b.size(), NAN);
    plan->forward(x.data(), w.data(), b.data(), y.data());
    OutputGrad og{dy.data(), nullptr};
    og.y = y.data(), og.slope = slope;
    plan->backward(og, w.data(), dw.data(), db.data(), nullptr);
    std::vector<float> g(n_out);
    for (int64_t i = 0; i < n_out; ++i) g[i] = y[i] > 0 ? dy[i] : slope * dy[i];
    const Reference ref(s, batch, x, w, b, g);
    EXPECT_TRUE(near(dw, ref.dw, 30, "weight gradient")) << "slope " << slope;
    EXPECT_TRUE(near(db, ref.db, 30, "bias gradient")) << "slope " << slope;
  }
}

TEST(ConvDirect, OnlyTakesWhatItHandles) {
  EXPECT_FALSE(direct_suits(spec(8, 8, 10, 10, 3, 3, 1, 1, 1, 1)));  // both sides >= 8: oneDNN
  ConvSpec strided = spec(1, 4, 10, 10, 3, 3, 1, 1, 1, 1);
  strided.sh = strided.sw = 2;
  EXPECT_FALSE(direct_suits(strided));
  EXPECT_FALSE(direct_suits(spec(1, 4, 10, 10, 8, 3, 1, 1, 1, 1)));  // taller than the tile kernels
  EXPECT_FALSE(direct_suits(spec(1, 4, 10, 10, 3, 3, 3, 1, 1, 1)));  // padding >= kernel
}

}  // namespace
}  // namespace aekit::kernels
