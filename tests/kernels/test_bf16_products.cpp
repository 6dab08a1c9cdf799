// bf16 products (kernels/precision.h): gemm and the oneDNN convolutions under a bf16 scope equal
// a double-precision product of the bf16-rounded inputs (so they really read bf16 and really
// accumulate in fp32), stay within bf16 rounding of fp32, and differ from fp32 (so a bf16 CPU
// silently computing in fp32 fails here); the weight gradients kernels::bf16_weight_grad keeps in
// fp32 equal fp32's. Skipped on a CPU without native bf16.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/conv.h"
#include "kernels/matmul.h"
#include "kernels/packed_gemv_bf16.h"
#include "kernels/precision.h"
#include "support/conv_reference.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::ConvRef;
using testing::random_values;

// x rounded to bf16 (nearest, ties to even), as oneDNN's f32 -> bf16 reorder does.
float bf16_rounded(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  u += 0x7fff + ((u >> 16) & 1);
  u &= 0xffff0000u;
  float r;
  std::memcpy(&r, &u, 4);
  return r;
}

std::vector<float> rounded(const std::vector<float>& v) {
  std::vector<float> r(v.size());
  for (size_t i = 0; i < v.size(); ++i) r[i] = bf16_rounded(v[i]);
  return r;
}

#define REQUIRE_BF16()                                                    \
  if (!cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16"

// What the three comparisons found: the largest error against each reference, relative to the
// sum of |terms| of that output (the scale a rounding error of the inputs is measured against).
struct Agreement {
  double vs_rounded = 0, vs_fp32 = 0;  // bf16 result against the bf16-input and the fp32 product
  double fp32_vs_exact = 0;            // the fp32 kernel against the exact product
};

// Tolerances: inputs rounded to bf16 carry a relative error of at most 2^-9 each, so a term
// a*b at most ~2^-8; fp32 accumulation stays within ~1e-7 of the scale here (measured 2e-7 worst).
constexpr double kBf16Rounding = 1.0 / 256;
constexpr double kFp32Accumulation = 2e-6;
// bf16 inputs move a product of random values by ~1e-3 of its scale; fp32 by ~1e-7.
constexpr double kVisiblyBf16 = 1e-4;

void update(double& worst, double err, double scale) { worst = std::max(worst, err / scale); }

Agreement gemm_agreement(bool ta, bool tb, int64_t m, int64_t n, int64_t k, bool accumulate) {
  Rng rng(static_cast<uint64_t>(m * 7919 + n * 31 + k + ta * 2 + tb));
  const auto a = random_values(m * k, rng), b = random_values(k * n, rng), bias = random_values(n, rng),
             c0 = random_values(m * n, rng);
  Gemm g;
  g.trans_a = ta, g.trans_b = tb;
  g.m = m, g.n = n, g.k = k;
  g.bias = bias.data();
  g.accumulate = accumulate;
  std::vector<float> c32 = c0, c16 = c0;
  gemm(g, a.data(), b.data(), c32.data());
  {
    const PrecisionScope bf16(Precision::bf16, "testing");
    gemm(g, a.data(), b.data(), c16.data());
  }
  const auto ar = rounded(a), br = rounded(b);
  auto at = [&](const std::vector<float>& v, int64_t i, int64_t q) { return ta ? v[q * m + i] : v[i * k + q]; };
  auto bt = [&](const std::vector<float>& v, int64_t q, int64_t j) { return tb ? v[j * k + q] : v[q * n + j]; };
  Agreement r;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double exact = bias[j] + (accumulate ? c0[i * n + j] : 0.0), of_rounded = exact, scale = 1 + std::abs(exact);
      for (int64_t q = 0; q < k; ++q) {
        exact += static_cast<double>(at(a, i, q)) * bt(b, q, j);
        of_rounded += static_cast<double>(at(ar, i, q)) * bt(br, q, j);
        scale += std::abs(static_cast<double>(at(a, i, q)) * bt(b, q, j));
      }
      update(r.vs_rounded, std::abs(c16[i * n + j] - of_rounded), scale);
      update(r.vs_fp32, std::abs(c16[i * n + j] - c32[i * n + j]), scale);
      update(r.fp32_vs_exact, std::abs(c32[i * n + j] - exact), scale);
    }
  return r;
}

TEST(Bf16Gemm, ReadsBf16InputsAccumulatesInFp32AndStaysNearFp32) {
  REQUIRE_BF16();
  struct Case {
    bool ta, tb;
    int64_t m, n, k;
    bool acc;
  };
  // The shapes of a dense forward (B^T), its weight gradient (A^T), its input gradient, and an
  // accumulating LSTM step.
  for (const Case& c : {Case{false, true, 64, 256, 512, false}, Case{true, false, 300, 128, 64, false},
                        Case{false, false, 128, 784, 128, false}, Case{false, true, 64, 2048, 512, true}}) {
    SCOPED_TRACE(::testing::Message() << "ta " << c.ta << " tb " << c.tb << " " << c.m << "x" << c.n << "x" << c.k);
    const Agreement r = gemm_agreement(c.ta, c.tb, c.m, c.n, c.k, c.acc);
    EXPECT_LT(r.vs_rounded, kFp32Accumulation);
    EXPECT_LT(r.vs_fp32, kBf16Rounding);
    EXPECT_GT(r.vs_fp32, kVisiblyBf16) << "bf16 scope, fp32 result: bf16 did not run";
    EXPECT_LT(r.fp32_vs_exact, kFp32Accumulation);
  }
}

// An operand handed over in bf16 (gemm's uint16_t overloads) gives the product of the values it
// holds: under bf16, that of the bf16-rounded inputs (as if the fp32 operand had been converted
// by the plan); under fp32, the same values widened.
TEST(Bf16Gemm, TakesOperandsAlreadyInBf16AsTheyAre) {
  REQUIRE_BF16();
  for (const bool ta : {false, true})
    for (const bool tb : {false, true})
      for (const bool a_given : {false, true})
        for (const Precision p : {Precision::bf16, Precision::fp32}) {
          SCOPED_TRACE(::testing::Message() << "ta " << ta << " tb " << tb << (a_given ? " A" : " B") << " in bf16, "
                                            << precision_name(p) << " scope");
          const int64_t m = 96, n = 160, k = 200;
          Rng rng(static_cast<uint64_t>(ta * 4 + tb * 2 + a_given));
          const auto a = random_values(m * k, rng), b = random_values(k * n, rng);
          const auto& given = a_given ? a : b;
          std::vector<uint16_t> given16(given.size());
          pack_bf16_pairs(given.data(), static_cast<int64_t>(given.size()), reinterpret_cast<uint32_t*>(given16.data()));
          Gemm g;
          g.trans_a = ta, g.trans_b = tb;
          g.m = m, g.n = n, g.k = k;
          std::vector<float> c(m * n);
          {
            const PrecisionScope scope(p, "testing");
            if (a_given)
              gemm(g, given16.data(), b.data(), c.data());
            else
              gemm(g, a.data(), given16.data(), c.data());
          }
          // Under bf16 both operands are rounded; under fp32 only the one given in bf16.
          const auto ar = a_given || p == Precision::bf16 ? rounded(a) : a;
          const auto br = !a_given || p == Precision::bf16 ? rounded(b) : b;
          double worst = 0;
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
              double ref = 0, scale = 1;
              for (int64_t q = 0; q < k; ++q) {
                const double t = static_cast<double>(ta ? ar[q * m + i] : ar[i * k + q]) * (tb ? br[j * k + q] : br[q * n + j]);
                ref += t, scale += std::abs(t);
              }
              update(worst, std::abs(c[i * n + j] - ref), scale);
            }
          EXPECT_LT(worst, kFp32Accumulation);
        }
}

TEST(Bf16Gemm, ReusesTheConvertedBWhileItsVersionStands) {
  REQUIRE_BF16();
  const PrecisionScope bf16(Precision::bf16, "testing");
  Rng rng(3);
  auto a = random_values(64 * 128, rng), b = random_values(256 * 128, rng);
  Gemm g;
  g.trans_b = true;
  g.m = 64, g.n = 256, g.k = 128;
  g.b_version = next_b_version();
  std::vector<float> first(64 * 256), again(64 * 256), fresh(64 * 256);
  gemm(g, a.data(), b.data(), first.data());
  for (float& v : b) v = -v;  // the caller broke its promise: the kept copy still answers
  gemm(g, a.data(), b.data(), again.data());
  EXPECT_EQ(first, again);
  g.b_version = next_b_version();  // a new version converts B again
  gemm(g, a.data(), b.data(), fresh.data());
  for (size_t i = 0; i < first.size(); ++i) ASSERT_FLOAT_EQ(fresh[i], -first[i]);
}

struct ConvAgreement {
  Agreement y, dw, dx;
};

ConvAgreement conv_agreement(const ConvSpec& s, int64_t n) {
  const ConvRef ref{s, n};
  const int64_t xs = n * s.c * s.h * s.w, ys = n * s.f * s.out_h() * s.out_w(), ws = s.f * s.c * s.kh * s.kw;
  Rng rng(static_cast<uint64_t>(s.c * 131 + s.f + s.transposed));
  const auto x = random_values(xs, rng), w = random_values(ws, rng), g = random_values(ys, rng);
  std::vector<float> zero_bias(s.f, 0.0f);
  struct Out {
    std::vector<float> y, dw, db, dx;
  };
  auto run = [&](Precision p) {
    const PrecisionScope scope(p, "testing");
    Conv conv(s);
    Out o{std::vector<float>(ys), std::vector<float>(ws), std::vector<float>(s.f), std::vector<float>(xs)};
    conv.forward(n, x.data(), w.data(), zero_bias.data(), o.y.data());
    OutputGrad og;
    og.dy = g.data();
    conv.backward(og, w.data(), o.dw.data(), o.db.data(), o.dx.data());
    return o;
  };
  const Out o32 = run(Precision::fp32), o16 = run(Precision::bf16);
  const auto xr = rounded(x), wr = rounded(w), gr = rounded(g);
  // Exact and bf16-input references of y, dw, dx, and each output's scale (sum of |terms|).
  std::vector<double> y(ys), yr(ys), ysc(ys, 1), dw(ws), dwr(ws), dwsc(ws, 1), dx(xs), dxr(xs), dxsc(xs, 1);
  ref.taps([&](int64_t xi, int64_t wi, int64_t yi) {
    y[yi] += double(x[xi]) * w[wi], yr[yi] += double(xr[xi]) * wr[wi], ysc[yi] += std::abs(double(x[xi]) * w[wi]);
    dw[wi] += double(g[yi]) * x[xi], dwr[wi] += double(gr[yi]) * xr[xi], dwsc[wi] += std::abs(double(g[yi]) * x[xi]);
    dx[xi] += double(g[yi]) * w[wi], dxr[xi] += double(gr[yi]) * wr[wi], dxsc[xi] += std::abs(double(g[yi]) * w[wi]);
  });
  auto compare = [](const std::vector<float>& r32, const std::vector<float>& r16, const std::vector<double>& exact,
                    const std::vector<double>& of_rounded, const std::vector<double>& scale) {
    Agreement a;
    for (size_t i = 0; i < exact.size(); ++i) {
      update(a.vs_rounded, std::abs(r16[i] - of_rounded[i]), scale[i]);
      update(a.vs_fp32, std::abs(r16[i] - r32[i]), scale[i]);
      update(a.fp32_vs_exact, std::abs(r32[i] - exact[i]), scale[i]);
    }
    return a;
  };
  return {compare(o32.y, o16.y, y, yr, ysc), compare(o32.dw, o16.dw, dw, dwr, dwsc),
          compare(o32.dx, o16.dx, dx, dxr, dxsc)};
}

// y and dx read bf16; dw too where bf16_weight_grad(s) says so, else it equals fp32's.
void expect_bf16(const ConvSpec& s, const ConvAgreement& r) {
  for (const auto& [name, a] : {std::pair{"y", r.y}, std::pair{"dw", r.dw}, std::pair{"dx", r.dx}}) {
    SCOPED_TRACE(name);
    if (std::string(name) == "dw" && !bf16_weight_grad(s)) {
      EXPECT_LT(a.vs_fp32, kFp32Accumulation) << "an fp32 weight gradient expected";
      EXPECT_LT(a.fp32_vs_exact, kFp32Accumulation);
      continue;
    }
    EXPECT_LT(a.vs_rounded, kFp32Accumulation);
    EXPECT_LT(a.vs_fp32, kBf16Rounding);
    EXPECT_GT(a.vs_fp32, kVisiblyBf16) << "bf16 scope, fp32 result: bf16 did not run";
    EXPECT_LT(a.fp32_vs_exact, kFp32Accumulation);
  }
}

TEST(Bf16Conv, ConvolutionReadsBf16AndStaysNearFp32) {
  REQUIRE_BF16();
  ConvSpec s;
  s.c = 16, s.f = 32, s.h = s.w = 14, s.kh = s.kw = 3, s.pt = s.pl = s.pb = s.pr = 1;
  EXPECT_TRUE(bf16_weight_grad(s));
  expect_bf16(s, conv_agreement(s, 4));
}

TEST(Bf16Conv, StridedConvolutionReadsBf16) {
  REQUIRE_BF16();
  ConvSpec s;
  s.c = 32, s.f = 16, s.h = s.w = 9, s.kh = s.kw = 3, s.sh = s.sw = 2;
  EXPECT_FALSE(bf16_weight_grad(s));  // a 4 x 4 output to 16 channels: its weight gradient stays fp32
  expect_bf16(s, conv_agreement(s, 3));
  s.f = 32;  // to 32 channels: one bf16 matmul (conv_gemm_weight_grad.h)
  EXPECT_TRUE(bf16_weight_grad(s));
  expect_bf16(s, conv_agreement(s, 2));
  s.f = 16;
  s.h = s.w = 17;  // 8 x 8 with a stride: oneDNN 2.6's AMX kernel lost 12x there (W10), fp32
  EXPECT_FALSE(bf16_weight_grad(s));
  s.h = s.w = 23;  // 11 x 11
  EXPECT_TRUE(bf16_weight_grad(s));
  expect_bf16(s, conv_agreement(s, 2));
}

TEST(Bf16Conv, TransposedConvolutionReadsBf16) {
  REQUIRE_BF16();
  ConvSpec s;
  s.c = 32, s.f = 16, s.h = s.w = 7, s.kh = s.kw = 3, s.sh = s.sw = 2, s.transposed = true;
  s.pt = s.pl = 0, s.pb = s.pr = 0;
  EXPECT_FALSE(bf16_weight_grad(s));  // strided transposed: fp32 weight gradient
  expect_bf16(s, conv_agreement(s, 3));
  s.sh = s.sw = 1, s.f = 32;  // stride 1, x of 7 x 7 and 32 output channels: bf16 (W5's 10 -> 12)
  EXPECT_TRUE(bf16_weight_grad(s));
  expect_bf16(s, conv_agreement(s, 2));
  s.h = s.w = 3;  // a 3 x 3 x (W5's 3 -> 5): one bf16 matmul
  EXPECT_TRUE(bf16_weight_grad(s));
  expect_bf16(s, conv_agreement(s, 2));
  s.pt = s.pl = 1;  // cropped on top and left: windows reach outside the output
  expect_bf16(s, conv_agreement(s, 2));
}

TEST(Bf16Conv, FewChannelLayersKeepTheDirectFp32Kernel) {
  // One input channel: the hand-written direct kernel, fp32 whatever the scope says.
  ConvSpec s;
  s.c = 1, s.f = 8, s.h = s.w = 12, s.kh = s.kw = 3, s.pt = s.pl = s.pb = s.pr = 1;
  const ConvAgreement r = conv_agreement(s, 2);
  EXPECT_LT(r.y.vs_fp32, 1e-6);
  EXPECT_LT(r.dw.vs_fp32, 1e-6);
}

}  // namespace
}  // namespace aekit::kernels
