#include "nn/lstm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kernels/precision.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// Sets the layer's params from the fixture, runs forward + backward and compares everything.
void expect_matches_fixture(nn::Layer& layer, const Fixture& f) {
  for (const auto& p : layer.params()) {
    ASSERT_EQ(p.value->shape(), f[p.name].shape()) << p.name;
    *p.value = f[p.name];
  }
  const Tensor& y = layer.forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["y"].shape());
  EXPECT_TRUE(all_close(y, f["y"], 1e-5, 1e-6));
  const Tensor& dx = layer.backward(f["dy"], true);
  EXPECT_EQ(dx.shape(), f["x"].shape());
  EXPECT_TRUE(all_close(dx, f["dx"], 1e-5, 1e-6));
  for (const auto& p : layer.params()) EXPECT_TRUE(all_close(*p.grad, f["d" + p.name], 1e-5, 1e-6)) << p.name;
}

// A plain double-precision LSTM (no vectorisation, no approximations) for cross-checks.
std::vector<double> reference_lstm(nn::Lstm& l, const Tensor& x, bool reverse) {
  const int64_t B = x.dim(0), T = x.dim(1), F = x.dim(2), H = l.units();
  auto p = l.params();
  const Tensor &wi = *p[0].value, &wh = *p[1].value, &bi = *p[2].value, &bh = *p[3].value;
  std::vector<double> y(B * T * H);
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  for (int64_t b = 0; b < B; ++b) {
    std::vector<double> h(H, 0), c(H, 0), z(4 * H);
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = reverse ? T - 1 - s : s;
      for (int64_t g = 0; g < 4 * H; ++g) {
        double v = bi[g] + bh[g];
        for (int64_t k = 0; k < F; ++k) v += wi[g * F + k] * x[(b * T + t) * F + k];
        for (int64_t k = 0; k < H; ++k) v += wh[g * H + k] * h[k];
        z[g] = v;
      }
      for (int64_t j = 0; j < H; ++j) {
        c[j] = sig(z[H + j]) * c[j] + sig(z[j]) * std::tanh(z[2 * H + j]);
        h[j] = sig(z[3 * H + j]) * std::tanh(c[j]);
        y[(b * T + t) * H + j] = h[j];
      }
    }
  }
  return y;
}

TEST(Lstm, MatchesPyTorchReturnSequences) {
  Fixture f("lstm_seq");
  nn::Lstm l(11, true);
  l.build({5, 4});
  expect_matches_fixture(l, f);
}

TEST(Lstm, MatchesPyTorchLastOutput) {
  Fixture f("lstm_last");
  nn::Lstm l(6, false);
  l.build({5, 4});
  expect_matches_fixture(l, f);
}

TEST(Lstm, GradientCheck) {
  for (bool seq : {true, false}) {
    nn::Lstm l(5, seq);
    l.build({4, 3});
    Rng rng(3);
    l.init(rng, nn::Init::pytorch);
    EXPECT_TRUE(check_layer_gradients(l, random_tensor({2, 4, 3}, 5), 9)) << "return_sequences " << seq;
  }
}

TEST(Lstm, ReversedGradientCheck) {
  nn::Lstm l(9, true, true);  // 9: one full 8-lane block and a tail
  l.build({3, 2});
  Rng rng(4);
  l.init(rng, nn::Init::keras);
  EXPECT_TRUE(check_layer_gradients(l, random_tensor({2, 3, 2}, 6), 10));
}

// An input repeated over time (RepeatVector's output) takes the projected-once path; the numeric
// gradients perturb single steps and so run the general path: the two must agree.
TEST(Lstm, RepeatedInputGradientCheck) {
  for (bool reverse : {false, true}) {
    nn::Lstm l(6, true, reverse);
    l.build({4, 3});
    Rng rng(8);
    l.init(rng, nn::Init::pytorch);
    const Tensor v = random_tensor({2, 3}, 9);
    Tensor x({2, 4, 3});
    for (int64_t b = 0; b < 2; ++b)
      for (int64_t t = 0; t < 4; ++t)
        for (int64_t k = 0; k < 3; ++k) x[(b * 4 + t) * 3 + k] = v[b * 3 + k];
    EXPECT_TRUE(check_layer_gradients(l, x, 12)) << "reverse " << reverse;
  }
}

TEST(Lstm, SaveLoadRoundTrip) {
  nn::Lstm l(7, true);
  l.build({6, 3});
  Rng rng(1);
  l.init(rng, nn::Init::keras);
  EXPECT_TRUE(check_roundtrip(l, random_tensor({2, 6, 3}, 2)));
}

// Long sequences, wide hidden sizes and saturated gates against the double reference: the gate
// loop's polynomial exp/tanh and its 8-lane blocks must not drift.
TEST(Lstm, MatchesDoubleReferenceOnLongSaturatedSequences) {
  for (bool reverse : {false, true}) {
    nn::Lstm l(37, true, reverse);
    l.build({40, 6});
    Rng rng(11);
    l.init(rng, nn::Init::pytorch);
    Tensor x = random_tensor({3, 40, 6}, 12, 4.0f);  // pre-activations well into saturation
    const Tensor& y = l.forward(x, nn::Mode::eval);
    const std::vector<double> ref = reference_lstm(l, x, reverse);
    double worst = 0;
    for (int64_t i = 0; i < y.size(); ++i) worst = std::max(worst, std::fabs(y[i] - ref[i]));
    EXPECT_LT(worst, 2e-6) << "reverse " << reverse;
  }
}

TEST(Lstm, ReversedLayerIsTheForwardLayerOnTheFlippedSequence) {
  nn::Lstm fwd(10, true), rev(10, true, true);
  fwd.build({5, 3});
  rev.build({5, 3});
  Rng rng(2);
  fwd.init(rng, nn::Init::pytorch);
  auto pf = fwd.params(), pr = rev.params();
  for (size_t i = 0; i < pf.size(); ++i) *pr[i].value = *pf[i].value;
  Tensor x = random_tensor({2, 5, 3}, 3), flipped({2, 5, 3});
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 5; ++t)
      for (int64_t k = 0; k < 3; ++k) flipped[(b * 5 + t) * 3 + k] = x[(b * 5 + 4 - t) * 3 + k];
  const Tensor yr = rev.forward(x, nn::Mode::eval);
  const Tensor& yf = fwd.forward(flipped, nn::Mode::eval);
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 5; ++t)
      for (int64_t j = 0; j < 10; ++j)
        EXPECT_EQ(yr[(b * 5 + t) * 10 + j], yf[(b * 5 + 4 - t) * 10 + j]);
}

// Under bf16 the gate gradients reach the four products that read them already in bf16 (no
// conversion per product): every gradient stays within bf16 rounding of fp32's and visibly
// differs from it.
TEST(Lstm, Bf16GradientsStayNearFp32) {
  if (!kernels::cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16";
  const Tensor x = random_tensor({8, 6, 20}, 5), dy = random_tensor({8, 6, 64}, 6);
  auto grads = [&](kernels::Precision p) {
    const kernels::PrecisionScope scope(p, "testing");
    nn::Lstm l(64, true);
    l.build({6, 20});
    Rng rng(4);
    l.init(rng, nn::Init::pytorch);
    l.forward(x, nn::Mode::train);
    std::vector<Tensor> g{l.backward(dy, true)};
    for (const auto& param : l.params()) g.push_back(*param.grad);
    return g;
  };
  const auto g32 = grads(kernels::Precision::fp32), g16 = grads(kernels::Precision::bf16);
  for (size_t i = 0; i < g32.size(); ++i) {
    SCOPED_TRACE(i == 0 ? std::string("dx") : "gradient " + std::to_string(i));
    double scale = 0, diff = 0;
    for (int64_t j = 0; j < g32[i].size(); ++j) {
      scale = std::max(scale, std::abs(static_cast<double>(g32[i][j])));
      diff = std::max(diff, std::abs(static_cast<double>(g16[i][j]) - g32[i][j]));
    }
    EXPECT_LT(diff, 2e-2 * scale);
    EXPECT_GT(diff, 1e-5 * scale) << "bf16 scope, fp32 result";
  }
}

TEST(Lstm, SkipsInputGradientWhenNotNeeded) {
  nn::Lstm l(4);
  l.build({3, 2});
  Rng rng(1);
  l.init(rng, nn::Init::pytorch);
  l.forward(random_tensor({2, 3, 2}, 1), nn::Mode::train);
  EXPECT_TRUE(l.backward(random_tensor({2, 4}, 2), false).empty());
  EXPECT_NE((*l.params()[0].grad)[0], 0.0f);
}

TEST(Lstm, KerasInitIsOrthogonalRecurrentWithForgetBiasOne) {
  nn::Lstm l(8);
  l.build({3, 5});
  Rng rng(7);
  l.init(rng, nn::Init::keras);
  auto p = l.params();
  const Tensor& wh = *p[1].value;  // [32, 8]: orthonormal columns
  for (int a = 0; a < 8; ++a)
    for (int b = 0; b < 8; ++b) {
      double dot = 0;
      for (int r = 0; r < 32; ++r) dot += double(wh[r * 8 + a]) * wh[r * 8 + b];
      EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-5);
    }
  const Tensor& bi = *p[2].value;
  for (int j = 0; j < 32; ++j) EXPECT_EQ(bi[j], j >= 8 && j < 16 ? 1.0f : 0.0f);
  for (float v : *p[3].value) EXPECT_EQ(v, 0.0f);
}

TEST(Lstm, ConfigAndShapeErrors) {
  nn::LayerPtr l = nn::make_layer({{"type", "lstm"}, {"units", 4}, {"return_sequences", true}}, "enc[0]");
  EXPECT_EQ(l->build({7, 3}), (Shape{7, 4}));
  EXPECT_EQ(l->config()["return_sequences"], true);
  EXPECT_THROW(nn::make_layer({{"type", "lstm"}}, "enc[0]"), InputError);
  EXPECT_THROW(nn::make_layer({{"type", "lstm"}, {"units", 0}}, "enc[0]"), InputError);
  nn::Lstm flat(4);
  EXPECT_THROW(flat.build({12}), InputError);
  nn::Lstm m(4);
  m.build({5, 3});
  EXPECT_THROW(m.forward(Tensor({2, 5, 2}), nn::Mode::eval), InputError);
}

}  // namespace
