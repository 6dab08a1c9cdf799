// The weight gradient as one matmul (kernels/conv_gemm_weight_grad.h): which layers take it, and
// that it equals a double-precision sum of g x x over every tap, for convolutions and transposed
// ones, strided and padded / cropped, with x and g plain or channel-blocked as Sequential may hand
// them over.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/conv_gemm_weight_grad.h"
#include "support/blocked_values.h"
#include "support/conv_reference.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::blocked;
using testing::ConvRef;
using testing::random_values;

// dw in the caller's layout ([f, c, kh, kw], or [c, f, kh, kw] transposed) from plain x and g.
std::vector<double> reference_dw(const ConvSpec& s, int64_t n, const std::vector<float>& x, const std::vector<float>& g) {
  std::vector<double> dw(s.f * s.c * s.kh * s.kw, 0.0);
  ConvRef{s, n}.taps([&](int64_t xi, int64_t wi, int64_t yi) { dw[wi] += double(x[xi]) * g[yi]; });
  return dw;
}

void expect_matches(ConvSpec s, int64_t n) {
  Rng rng(static_cast<uint64_t>(s.c + 7 * s.h + s.transposed));
  const auto x = random_values(n * s.c * s.h * s.w, rng), g = random_values(n * s.f * s.out_h() * s.out_w(), rng);
  const std::vector<double> ref = reference_dw(s, n, x, g);
  for (const bool bx : {false, true})
    for (const bool by : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "x " << (bx ? "blocked" : "plain") << ", g " << (by ? "blocked" : "plain"));
      s.blocked_x = bx, s.blocked_y = by;
      ASSERT_TRUE(gemm_weight_grad_suits(s));
      GemmWeightGrad wg(s, n);
      std::vector<float> dw(ref.size(), NAN);
      wg.run((bx ? blocked(x, s.h * s.w) : x).data(), (by ? blocked(g, s.out_h() * s.out_w()) : g).data(), dw.data());
      for (size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(dw[i], ref[i], 1e-4 * (1 + std::abs(ref[i]))) << "dw[" << i << "]";
    }
}

ConvSpec spec(int64_t c, int64_t f, int64_t h, int64_t stride, int64_t pad_top, int64_t pad_bottom, bool transposed) {
  ConvSpec s;
  s.c = c, s.f = f, s.h = s.w = h, s.kh = s.kw = 3, s.sh = s.sw = stride;
  s.pt = s.pl = pad_top, s.pb = s.pr = pad_bottom, s.transposed = transposed;
  return s;
}

TEST(ConvGemmWeightGrad, TakesSmallOutputsWithWideChannels) {
  EXPECT_TRUE(gemm_weight_grad_suits(spec(64, 32, 5, 1, 0, 0, false)));   // W5's 5 x 5 -> 3 x 3
  EXPECT_TRUE(gemm_weight_grad_suits(spec(64, 64, 3, 1, 0, 0, true)));    // W5's 3 x 3 -> 5 x 5: x has 9 cells
  EXPECT_TRUE(gemm_weight_grad_suits(spec(128, 256, 8, 2, 0, 1, false))); // W10's 8 x 8 -> 4 x 4
  EXPECT_FALSE(gemm_weight_grad_suits(spec(64, 64, 10, 1, 0, 0, true))); // x of 100 cells: oneDNN
  EXPECT_FALSE(gemm_weight_grad_suits(spec(16, 16, 4, 1, 1, 1, false))); // 16 channels: oneDNN's is faster
}

TEST(ConvGemmWeightGrad, MatchesTheDefinitionInEveryLayout) {
  expect_matches(spec(32, 48, 5, 1, 0, 0, false), 3);  // valid
  expect_matches(spec(32, 32, 4, 1, 1, 1, false), 2);  // same: windows reach into the padding
  expect_matches(spec(48, 32, 8, 2, 0, 1, false), 2);  // stride 2, same (bottom / right only)
  expect_matches(spec(32, 48, 3, 1, 0, 0, true), 3);   // transposed 3 -> 5
  expect_matches(spec(32, 32, 1, 1, 0, 0, true), 4);   // transposed 1 -> 3 (a VAE's first decoder layer)
  expect_matches(spec(48, 32, 4, 2, 0, 1, true), 2);   // transposed stride 2, same: 4 -> 8, cropped
  expect_matches(spec(32, 32, 4, 1, 1, 1, true), 2);   // transposed, cropped on every side
}

}  // namespace
}  // namespace aekit::kernels
