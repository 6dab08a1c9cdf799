// The direct convolution with a channel-blocked wide side (kernels/conv_direct_blocked.h): which
// layers take it, and that forward, weight, bias and data gradients equal a double-precision sum
// over every tap — wide outputs (spread / gather / the plain correlation for dx) and wide inputs
// (the plain correlation / gather / spread for dx), convolutions and transposed ones, valid, padded and uneven padding,
// square and rectangular kernels from 1 x 1 to 7 x 7, odd sizes (rows that are not a multiple of
// any tile), 16 to 80 wide channels (a last group of vectors narrower than the others), one to
// seven narrow ones, every fused activation, and g given as dy, as dy with the relu / leaky_relu
// derivative folded in, or made per sample.
#include <gtest/gtest.h>

#include <cmath>
#include <omp.h>
#include <vector>

#include "kernels/conv.h"
#include "kernels/conv_direct_blocked.h"
#include "support/blocked_values.h"
#include "support/conv_reference.h"
#include "support/random_values.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

using testing::blocked;
using testing::ConvRef;
using testing::random_values;
using testing::unblocked;

enum class GradFrom { dy, folded_relu, made };

struct Case {
  ConvSpec s;
  int64_t n;
  bool dx;
  GradFrom from;
};

ConvSpec spec(int64_t c, int64_t f, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t pt, int64_t pl, int64_t pb,
              int64_t pr, bool transposed, Fused act) {
  ConvSpec s;
  s.c = c, s.f = f, s.h = h, s.w = w, s.kh = kh, s.kw = kw;
  s.pt = pt, s.pl = pl, s.pb = pb, s.pr = pr, s.transposed = transposed, s.act = act, s.alpha = 0.2f;
  (s.c % 16 == 0 ? s.blocked_x : s.blocked_y) = true;  // the wide side
  return s;
}

double activated(double v, const ConvSpec& s) {
  switch (s.act) {
    case Fused::relu: return v > 0 ? v : 0;
    case Fused::leaky_relu: return v > 0 ? v : s.alpha * v;
    case Fused::sigmoid: return 1 / (1 + std::exp(-v));
    case Fused::tanh: return std::tanh(v);
    default: return v;
  }
}

// |got - want| within fp32 rounding of a sum whose terms' magnitudes add up to mag.
void expect_near_sum(const std::vector<float>& got, const std::vector<double>& want, const std::vector<double>& mag,
                     const char* what) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], 2e-6 * mag[i] + 1e-6) << what << "[" << i << "]";
}

void check(const Case& k) {
  const ConvSpec& s = k.s;
  ASSERT_TRUE(direct_blocked_suits(s));
  const int64_t n = k.n, xhw = s.h * s.w, yhw = s.out_h() * s.out_w();
  Rng rng(static_cast<uint64_t>(s.c * 31 + s.f * 7 + s.kh + 3 * s.kw + n + s.transposed));
  const auto x = random_values(n * s.c * xhw, rng), w = random_values(s.c * s.f * s.kh * s.kw, rng),
             b = random_values(s.f, rng), dy = random_values(n * s.f * yhw, rng);
  // The layer's arrays in its layouts: the wide side blocked.
  auto to_layer_x = [&](const std::vector<float>& v) { return s.blocked_x ? blocked(v, xhw) : v; };
  auto to_layer_y = [&](const std::vector<float>& v) { return s.blocked_y ? blocked(v, yhw) : v; };
  const auto xl = to_layer_x(x), dyl = to_layer_y(dy);
  std::vector<float> yl(dy.size()), dw(w.size()), db(b.size()), dxl(x.size(), 7.0f);

  Conv conv(s);
  conv.forward(n, xl.data(), w.data(), b.data(), yl.data());
  const std::vector<float> y = s.blocked_y ? unblocked(yl, yhw) : yl;

  // forward
  std::vector<double> pre(y.size()), pre_mag(y.size());
  for (int64_t i = 0; i < n; ++i)
    for (int64_t f = 0; f < s.f; ++f)
      for (int64_t q = 0; q < yhw; ++q) pre[(i * s.f + f) * yhw + q] = b[f], pre_mag[(i * s.f + f) * yhw + q] = std::abs(b[f]);
  ConvRef ref{s, n};
  ref.taps([&](int64_t xi, int64_t wi, int64_t yi) {
    pre[yi] += double(x[xi]) * w[wi];
    pre_mag[yi] += std::abs(double(x[xi]) * w[wi]);
  });
  std::vector<double> want_y(y.size());
  for (size_t i = 0; i < y.size(); ++i) want_y[i] = activated(pre[i], s);
  expect_near_sum(y, want_y, pre_mag, "y");

  // g as the layer is told it, in its layout, and the same g plain for the reference
  OutputGrad og{dyl.data(), nullptr};
  std::vector<float> g = dy;
  if (k.from == GradFrom::folded_relu) {
    og.y = yl.data(), og.slope = 0.3f;
    for (size_t i = 0; i < g.size(); ++i) g[i] = y[i] > 0 ? dy[i] : 0.3f * dy[i];
  } else if (k.from == GradFrom::made) {
    og.make = [&](int64_t begin, int64_t count, float* out) {
      for (int64_t i = 0; i < count; ++i) out[i] = 0.5f * dyl[begin + i] + 0.25f;
    };
    for (float& e : g) e = 0.5f * e + 0.25f;
  }
  conv.backward(og, w.data(), dw.data(), db.data(), k.dx ? dxl.data() : nullptr);

  std::vector<double> want_dw(w.size()), mag_dw(w.size()), want_dx(x.size()), mag_dx(x.size());
  ref.taps([&](int64_t xi, int64_t wi, int64_t yi) {
    want_dw[wi] += double(x[xi]) * g[yi];
    mag_dw[wi] += std::abs(double(x[xi]) * g[yi]);
    want_dx[xi] += double(w[wi]) * g[yi];
    mag_dx[xi] += std::abs(double(w[wi]) * g[yi]);
  });
  expect_near_sum(dw, want_dw, mag_dw, "dw");
  std::vector<double> want_db(b.size()), mag_db(b.size());
  for (int64_t i = 0; i < n; ++i)
    for (int64_t f = 0; f < s.f; ++f)
      for (int64_t q = 0; q < yhw; ++q) {
        want_db[f] += g[(i * s.f + f) * yhw + q];
        mag_db[f] += std::abs(g[(i * s.f + f) * yhw + q]);
      }
  expect_near_sum(db, want_db, mag_db, "db");
  if (k.dx)
    expect_near_sum(s.blocked_x ? unblocked(dxl, xhw) : dxl, want_dx, mag_dx, "dx");
  else
    for (float e : dxl) ASSERT_EQ(e, 7.0f) << "dx written though not asked for";
}

void check_named(const Case& k) {
  SCOPED_TRACE(std::to_string(k.s.c) + " -> " + std::to_string(k.s.f) + ", " + std::to_string(k.s.h) + " x " +
               std::to_string(k.s.w) + ", kernel " + std::to_string(k.s.kh) + " x " + std::to_string(k.s.kw) +
               (k.s.transposed ? " transposed" : ""));
  check(k);
}

TEST(ConvDirectBlocked, TakesDirectLayersWithABlockedWideSide) {
  ConvSpec s = spec(1, 32, 28, 28, 3, 3, 1, 1, 1, 1, false, Fused::relu);
  EXPECT_TRUE(direct_blocked_suits(s));
  EXPECT_TRUE(Conv(s).gives_blocked());
  EXPECT_FALSE(Conv(s).gives_bf16()) << "the direct kernels compute in fp32";
  s.blocked_y = false;
  EXPECT_FALSE(direct_blocked_suits(s)) << "plain sides: the plain direct kernel";
  EXPECT_FALSE(direct_blocked_suits(spec(32, 32, 14, 14, 3, 3, 1, 1, 1, 1, false, Fused::relu)))
      << "wide on both sides: oneDNN";
  s = spec(1, 24, 8, 8, 3, 3, 1, 1, 1, 1, false, Fused::relu);
  s.blocked_y = false;
  EXPECT_FALSE(Conv(s).gives_blocked()) << "24 channels are not whole groups of 16";
  EXPECT_TRUE(Conv(spec(64, 1, 24, 24, 5, 5, 0, 0, 0, 0, true, Fused::relu)).takes_blocked());
  EXPECT_FALSE(Conv(spec(64, 1, 24, 24, 5, 5, 0, 0, 0, 0, true, Fused::relu)).takes_bf16());
}

TEST(ConvDirectBlocked, WideOutputsMatchTheSum) {
  const Case cases[] = {
      {spec(1, 32, 28, 28, 3, 3, 1, 1, 1, 1, false, Fused::relu), 3, false, GradFrom::dy},          // W4 conv 1
      {spec(1, 64, 28, 28, 5, 5, 0, 0, 0, 0, false, Fused::relu), 2, false, GradFrom::folded_relu},  // W5 conv 1
      {spec(3, 48, 13, 17, 5, 5, 0, 0, 0, 0, false, Fused::leaky_relu), 3, true, GradFrom::folded_relu},
      {spec(2, 80, 9, 23, 3, 5, 1, 2, 0, 1, false, Fused::none), 2, true, GradFrom::made},  // a group of 4 and 1
      {spec(7, 16, 11, 6, 7, 7, 3, 6, 2, 0, false, Fused::sigmoid), 2, true, GradFrom::dy},
      {spec(1, 16, 5, 31, 1, 1, 0, 0, 0, 0, false, Fused::tanh), 3, true, GradFrom::made},
      {spec(2, 32, 7, 9, 3, 3, 1, 1, 1, 1, true, Fused::relu), 3, true, GradFrom::folded_relu},  // transposed
      {spec(1, 64, 10, 10, 5, 5, 0, 0, 0, 0, true, Fused::none), 2, true, GradFrom::dy},
  };
  for (const Case& k : cases) check_named(k);
}

TEST(ConvDirectBlocked, WideInputsMatchTheSum) {
  const Case cases[] = {
      {spec(32, 1, 28, 28, 3, 3, 1, 1, 1, 1, false, Fused::sigmoid), 3, true, GradFrom::made},  // W4's last
      {spec(64, 1, 24, 24, 5, 5, 0, 0, 0, 0, true, Fused::relu), 2, true, GradFrom::folded_relu},  // W5's last
      {spec(48, 3, 13, 17, 5, 5, 2, 2, 2, 2, false, Fused::leaky_relu), 2, true, GradFrom::dy},
      {spec(80, 2, 9, 23, 3, 5, 1, 2, 0, 1, false, Fused::none), 2, false, GradFrom::dy},
      {spec(16, 7, 11, 6, 7, 7, 3, 6, 2, 0, false, Fused::tanh), 3, true, GradFrom::made},
      {spec(16, 1, 5, 33, 1, 1, 0, 0, 0, 0, false, Fused::relu), 3, true, GradFrom::folded_relu},
      {spec(32, 2, 7, 9, 3, 3, 1, 0, 2, 1, true, Fused::none), 3, true, GradFrom::dy},  // transposed, cropped
  };
  for (const Case& k : cases) check_named(k);
}

TEST(ConvDirectBlocked, OneThreadMatchesTheSum) {
  // One thread sums every sample's weight gradient into one set of sums (two: two sets, added).
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  check({spec(1, 32, 12, 12, 3, 3, 1, 1, 1, 1, false, Fused::relu), 5, true, GradFrom::folded_relu});
  check({spec(32, 1, 12, 12, 3, 3, 1, 1, 1, 1, false, Fused::relu), 5, true, GradFrom::folded_relu});
  omp_set_num_threads(threads);
}

}  // namespace
}  // namespace aekit::kernels
