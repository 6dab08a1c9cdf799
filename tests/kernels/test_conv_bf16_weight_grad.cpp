// Our bf16 weight-gradient kernel (kernels/conv_bf16_weight_grad.h): which layers take it, and
// that it equals a double-precision sum over every tap of the bf16-rounded x and g — for
// convolutions and transposed ones, valid and padded / cropped, 3 x 3 and 5 x 5 (tiles of one,
// two and three vectors), odd batches (a last pair with one sample), batches longer than one
// cache-sized run, x and g each in fp32 or already in bf16 — and that its bias gradient is g's sum.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/conv_bf16_weight_grad.h"
#include "kernels/packed_gemv_bf16.h"
#include "support/blocked_values.h"
#include "support/conv_reference.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::blocked;
using testing::ConvRef;
using testing::random_values;

bool cpu_bf16() { return __builtin_cpu_supports("avx512bf16"); }

ConvSpec spec(int64_t c, int64_t f, int64_t h, int64_t k, int64_t pad, bool transposed) {
  ConvSpec s;
  s.c = c, s.f = f, s.h = s.w = h, s.kh = s.kw = k;
  s.pt = s.pl = s.pb = s.pr = pad, s.transposed = transposed;
  s.blocked_x = s.blocked_y = true;
  return s;
}

std::vector<float> rounded(std::vector<float> v) {
  for (float& e : v) e = from_bf16(to_bf16(e));
  return v;
}

// A float buffer holding `v` as bf16 in its first half, as a bf16 boundary stores it.
std::vector<float> as_bf16(const std::vector<float>& v) {
  std::vector<float> buf(v.size(), 0.0f);
  auto* h = reinterpret_cast<uint16_t*>(buf.data());
  for (size_t i = 0; i < v.size(); ++i) h[i] = to_bf16(v[i]);
  return buf;
}

void expect_matches(ConvSpec s, int64_t n) {
  if (!cpu_bf16()) GTEST_SKIP() << "no AVX512_BF16 here";
  Rng rng(static_cast<uint64_t>(s.c + 7 * s.h + 3 * n + s.transposed));
  const int64_t xhw = s.h * s.w, yhw = s.out_h() * s.out_w();
  const auto x = random_values(n * s.c * xhw, rng), g = random_values(n * s.f * yhw, rng);
  const auto xr = rounded(x), gr = rounded(g);
  const size_t nw = static_cast<size_t>(s.f * s.c * s.kh * s.kw);
  std::vector<double> ref(nw, 0.0), mag(nw, 0.0), unrounded(nw, 0.0);
  ConvRef{s, n}.taps([&](int64_t xi, int64_t wi, int64_t yi) {
    ref[wi] += double(xr[xi]) * gr[yi];
    mag[wi] += std::abs(double(xr[xi]) * gr[yi]);
    unrounded[wi] += double(x[xi]) * g[yi];
  });
  for (const bool bx : {false, true})
    for (const bool by : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "x " << (bx ? "bf16" : "fp32") << ", g " << (by ? "bf16" : "fp32"));
      s.bf16_x = bx, s.bf16_y = by;
      ASSERT_TRUE(bf16_kernel_weight_grad_suits(s));
      const auto xb = blocked(x, xhw), gb = blocked(g, yhw);
      Bf16WeightGrad wg(s, n);
      std::vector<float> dw(nw, NAN), db(s.f, NAN);
      wg.run((bx ? as_bf16(xb) : xb).data(), (by ? as_bf16(gb) : gb).data(), dw.data(), s.transposed ? nullptr : db.data());
      double off_unrounded = 0;
      for (size_t i = 0; i < nw; ++i) {
        // fp32 sums of exact products: a few units of fp32 rounding of the magnitudes summed
        ASSERT_NEAR(dw[i], ref[i], 2e-6 * mag[i] + 1e-30) << "dw[" << i << "]";
        off_unrounded = std::max(off_unrounded, std::abs(dw[i] - unrounded[i]) / (mag[i] + 1e-30));
      }
      EXPECT_GT(off_unrounded, 1e-4) << "the products read fp32 values, not bf16";
      if (s.transposed) continue;
      const auto& gsum = by ? gr : g;  // g summed as it arrives
      for (int64_t f = 0; f < s.f; ++f) {
        double sum = 0, abs_sum = 0;
        for (int64_t b = 0; b < n; ++b)
          for (int64_t p = 0; p < yhw; ++p) sum += gsum[(b * s.f + f) * yhw + p], abs_sum += std::abs(gsum[(b * s.f + f) * yhw + p]);
        ASSERT_NEAR(db[f], sum, 1e-6 * abs_sum) << "db[" << f << "]";
      }
    }
}

TEST(ConvBf16WeightGrad, TakesStrideOneBlockedLayersThatRunBf16) {
  if (!cpu_bf16()) {
    EXPECT_FALSE(bf16_kernel_weight_grad_suits(spec(64, 64, 12, 3, 0, false))) << "no AVX512_BF16: oneDNN's";
    return;
  }
  EXPECT_TRUE(bf16_kernel_weight_grad_suits(spec(64, 64, 12, 3, 0, false)));  // W5's 12 -> 10
  EXPECT_TRUE(bf16_kernel_weight_grad_suits(spec(64, 64, 10, 3, 0, true)));   // W5's transposed 10 -> 12
  EXPECT_TRUE(bf16_kernel_weight_grad_suits(spec(32, 32, 14, 3, 1, false)));  // W4's 14 -> 14, same
  ConvSpec plain = spec(64, 64, 12, 3, 0, false);
  plain.blocked_x = false;
  EXPECT_FALSE(bf16_kernel_weight_grad_suits(plain));
  ConvSpec strided = spec(64, 64, 12, 3, 0, false);
  strided.sh = strided.sw = 2;
  EXPECT_FALSE(bf16_kernel_weight_grad_suits(strided));
  EXPECT_TRUE(bf16_kernel_weight_grad_suits(spec(64, 32, 5, 3, 0, false)));  // 3 x 3 output: from the matmul
  EXPECT_TRUE(bf16_kernel_weight_grad_suits(spec(64, 64, 3, 3, 0, true)));   // W5's transposed 3 -> 5, too
  EXPECT_FALSE(bf16_kernel_weight_grad_suits(spec(16, 16, 4, 3, 1, false)));  // too small for bf16 (fp32)
}

TEST(ConvBf16WeightGrad, MatchesTheRoundedDefinition) {
  expect_matches(spec(32, 48, 9, 3, 0, false), 3);  // valid 9 -> 7, odd batch; 2 groups x 9 taps
  expect_matches(spec(32, 32, 7, 3, 1, false), 4);  // same: windows reach into the padding
  expect_matches(spec(48, 32, 7, 3, 0, true), 3);   // transposed 7 -> 9: g is the window side
  expect_matches(spec(32, 32, 7, 3, 1, true), 2);   // transposed, cropped on every side
  expect_matches(spec(32, 16, 11, 5, 0, false), 2); // 5 x 5: 50 vectors, a last tile of two
  expect_matches(spec(16, 32, 11, 5, 2, false), 1); // 25 vectors, a last tile of one; one sample
  expect_matches(spec(32, 48, 5, 3, 0, false), 5);  // 3 x 3 output (a matmul layer before)
  expect_matches(spec(32, 32, 3, 3, 0, true), 3);   // transposed 3 -> 5: 9 row cells
}

TEST(ConvBf16WeightGrad, SumsOverRunsOfManyPairs) {
  expect_matches(spec(32, 32, 9, 3, 1, false), 41);  // more pairs than one run holds, odd
}

}  // namespace
}  // namespace aekit::kernels
