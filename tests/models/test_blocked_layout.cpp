// The channel-blocked activation layout (kernels/blocked.h) that Sequential uses between layers
// able to hold it: the conversions themselves, max-pooling and upsampling with each side in
// either layout (and, under a bf16 compute precision, in bf16), and whole conv stacks that must
// give the same outputs and gradients joined in the blocked layout as with every boundary plain
// (under bf16: within bf16 rounding, with the bf16 boundaries counted).
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <nlohmann/json.hpp>
#include <vector>

#include "kernels/bf16_array.h"
#include "kernels/blocked.h"
#include "kernels/precision.h"
#include "models/sequential.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

constexpr int64_t G = kernels::kChannelBlock;

// NCHW -> nChw16c and back for a whole [B, C, H, W] tensor, one group at a time.
Tensor to_blocked(const Tensor& t) {
  Tensor b(t.shape());
  const int64_t hw = t.dim(2) * t.dim(3);
  for (int64_t g = 0; g < t.size() / (G * hw); ++g) kernels::block_group(t.data() + g * G * hw, hw, b.data() + g * G * hw);
  return b;
}
Tensor to_plain(const Tensor& b) {
  Tensor t(b.shape());
  const int64_t hw = b.dim(2) * b.dim(3);
  for (int64_t g = 0; g < b.size() / (G * hw); ++g) kernels::unblock_group(b.data() + g * G * hw, hw, t.data() + g * G * hw);
  return t;
}

// bf16 in a Tensor as the layers exchange it: the first half of its float buffer.
Tensor pack_bf16(const Tensor& t) {
  Tensor h(t.shape());
  kernels::to_bf16(t.data(), t.size(), reinterpret_cast<uint16_t*>(h.data()));
  return h;
}
Tensor unpack_bf16(const Tensor& h) {
  Tensor t(h.shape());
  kernels::from_bf16(reinterpret_cast<const uint16_t*>(h.data()), h.size(), t.data());
  return t;
}
Tensor rounded_bf16(const Tensor& t) { return unpack_bf16(pack_bf16(t)); }

TEST(BlockedLayout, GroupConversionsMatchTheDefinition) {
  for (int64_t hw : {1, 7, 15, 16, 17, 49, 196}) {
    std::vector<float> planes(G * hw), blocked(G * hw, -1), back(G * hw, -1);
    for (size_t i = 0; i < planes.size(); ++i) planes[i] = static_cast<float>(i);
    kernels::block_group(planes.data(), hw, blocked.data());
    for (int64_t p = 0; p < hw; ++p)
      for (int64_t c = 0; c < G; ++c) ASSERT_EQ(blocked[p * G + c], planes[c * hw + p]) << "hw " << hw;
    kernels::unblock_group(blocked.data(), hw, back.data());
    ASSERT_EQ(back, planes) << "hw " << hw;
  }
}

// A plane-wise layer run with each combination of layouts gives the plain run's values.
void check_layouts(const json& cfg, const Shape& in) {
  for (bool bin : {false, true})
    for (bool bout : {false, true}) {
      auto plain = nn::make_layer(cfg, "test"), blocked = nn::make_layer(cfg, "test");
      plain->build(in);
      blocked->build(in);
      ASSERT_TRUE(blocked->as_fusable() && blocked->as_fusable()->takes_blocked() &&
                  blocked->as_fusable()->gives_blocked())
          << cfg.dump();
      blocked->as_fusable()->set_blocked(bin, bout);
      const Tensor x = random_tensor({3, in[0], in[1], in[2]}, 4);
      const Tensor y = plain->forward(x, nn::Mode::train);
      const Tensor yb = blocked->forward(bin ? to_blocked(x) : x, nn::Mode::train);
      EXPECT_TRUE(all_close(bout ? to_plain(yb) : yb, y, 0, 0)) << cfg.dump() << " in " << bin << " out " << bout;
      const Tensor dy = random_tensor(y.shape(), 5);
      const Tensor dx = plain->backward(dy, true);
      const Tensor dxb = blocked->backward(bout ? to_blocked(dy) : dy, true);
      EXPECT_TRUE(all_close(bin ? to_plain(dxb) : dxb, dx, 0, 0)) << cfg.dump() << " in " << bin << " out " << bout;
    }
}

// A side as the layer under test holds it: 0 plain, 1 blocked, 2 blocked bf16.
Tensor encode(const Tensor& t, int side) { return side == 0 ? t : side == 1 ? to_blocked(t) : pack_bf16(to_blocked(t)); }
Tensor decode(const Tensor& t, int side) { return side == 0 ? t : side == 1 ? to_plain(t) : to_plain(unpack_bf16(t)); }

// The same with a bf16 side under a bf16 compute precision: the layer computes in fp32 from the
// bf16 values and rounds what it writes, so it equals the plain layer run on the rounded inputs
// with its outputs rounded, exactly; also with a relu derivative handed over (leaky: its
// in-place bf16 form rounds twice, within a bf16 step).
void check_bf16_layouts(const json& cfg, const Shape& in) {
  if (!kernels::cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16";
  kernels::PrecisionScope bf16(kernels::Precision::bf16, "test");
  for (float slope : {-1.0f, 0.0f, 0.2f})
    for (int sin : {0, 1, 2})
      for (int sout : {0, 1, 2}) {
        if (sin != 2 && sout != 2) continue;  // no bf16 side: check_layouts
        auto plain = nn::make_layer(cfg, "test"), tested = nn::make_layer(cfg, "test");
        plain->build(in);
        tested->build(in);
        ASSERT_TRUE(tested->as_fusable()->takes_bf16() && tested->as_fusable()->gives_bf16()) << cfg.dump();
        tested->as_fusable()->set_blocked(sin > 0, sout > 0);
        tested->as_fusable()->set_bf16(sin == 2, sout == 2);
        if (slope >= 0) plain->as_fusable()->apply_relu_grad(true, slope), tested->as_fusable()->apply_relu_grad(true, slope);
        const std::string what = cfg.dump() + " in " + std::to_string(sin) + " out " + std::to_string(sout) +
                                 " slope " + std::to_string(slope);
        Tensor x = random_tensor({3, in[0], in[1], in[2]}, 4);
        if (sin == 2) x = rounded_bf16(x);
        Tensor y = plain->forward(x, nn::Mode::train);
        if (sout == 2) y = rounded_bf16(y);
        const Tensor x_in = encode(x, sin);  // layers may keep their input until backward (upsampling does)
        EXPECT_TRUE(all_close(decode(tested->forward(x_in, nn::Mode::train), sout), y, 0, 0)) << what;
        Tensor dy = random_tensor(y.shape(), 5);
        if (sout == 2) dy = rounded_bf16(dy);
        Tensor dx = plain->backward(dy, true);
        if (sin == 2) dx = rounded_bf16(dx);
        const double rtol = slope > 0 && sin == 2 ? 1.0 / 128 : 0;
        EXPECT_TRUE(all_close(decode(tested->backward(encode(dy, sout), true), sin), dx, rtol, 0)) << what;
      }
}

TEST(BlockedLayout, MaxPoolAndUpsamplingWithBf16Sides) {
  check_bf16_layouts({{"type", "max_pool2d"}, {"pool", 2}, {"padding", "same"}}, {32, 7, 7});
  check_bf16_layouts({{"type", "max_pool2d"}, {"pool", 2}}, {16, 28, 28});
  check_bf16_layouts({{"type", "max_pool2d"}, {"pool", 3}, {"stride", 2}}, {16, 9, 11});
  check_bf16_layouts({{"type", "upsampling2d"}, {"size", 2}}, {32, 14, 14});
  check_bf16_layouts({{"type", "upsampling2d"}, {"size", {2, 3}}}, {16, 5, 3});
}

TEST(BlockedLayout, MaxPoolAndUpsamplingInEitherLayout) {
  check_layouts({{"type", "max_pool2d"}, {"pool", 2}, {"padding", "same"}}, {32, 7, 7});  // 7 -> 4
  check_layouts({{"type", "max_pool2d"}, {"pool", 2}}, {16, 28, 28});
  check_layouts({{"type", "max_pool2d"}, {"pool", 2}}, {16, 9, 11});  // 'valid' drops a row and a column
  check_layouts({{"type", "max_pool2d"}, {"pool", 3}, {"stride", 2}}, {16, 9, 11});
  check_layouts({{"type", "upsampling2d"}, {"size", 2}}, {32, 14, 14});
  check_layouts({{"type", "upsampling2d"}, {"size", {2, 3}}}, {16, 5, 3});
}

TEST(BlockedLayout, OnlyWholeChannelBlocks) {
  auto pool = nn::make_layer({{"type", "max_pool2d"}}, "test");
  pool->build({24, 8, 8});
  EXPECT_FALSE(pool->as_fusable()->takes_blocked());
  // one input channel: the direct kernel, blocked on its wide side when that is whole groups
  auto direct = nn::make_layer({{"type", "conv2d"}, {"filters", 32}, {"kernel", 3}}, "test");
  direct->build({1, 8, 8});
  EXPECT_FALSE(direct->as_fusable()->takes_blocked());
  EXPECT_TRUE(direct->as_fusable()->gives_blocked());
  auto direct24 = nn::make_layer({{"type", "conv2d"}, {"filters", 24}, {"kernel", 3}}, "test");
  direct24->build({1, 8, 8});
  EXPECT_FALSE(direct24->as_fusable()->gives_blocked());
  auto transposed = nn::make_layer({{"type", "conv2d_transpose"}, {"filters", 32}, {"kernel", 3}, {"stride", 2}}, "test");
  transposed->build({32, 4, 4});
  EXPECT_TRUE(transposed->as_fusable()->takes_blocked() && transposed->as_fusable()->gives_blocked());
  auto transposed_direct = nn::make_layer({{"type", "conv2d_transpose"}, {"filters", 1}, {"kernel", 5}}, "test");
  transposed_direct->build({32, 4, 4});  // one output channel, stride 1: the direct kernel
  EXPECT_TRUE(transposed_direct->as_fusable()->takes_blocked());
  EXPECT_FALSE(transposed_direct->as_fusable()->gives_blocked());
}

const char* kTransposedStack = R"([
    {"type": "conv2d_transpose", "filters": 32, "kernel": 3, "activation": "relu"},
    {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "stride": 2, "padding": "same"},
    {"type": "conv2d_transpose", "filters": 1, "kernel": 3, "activation": "relu"}])";

// A stack built twice from the same config: fused (blocked layout where possible, activation
// derivatives handed to pooling / upsampling) and not. Same weights, same input: the outputs,
// input gradients and every parameter gradient agree. Returns the fused stack's joins.
struct Joins {
  size_t blocked, handed, bf16;
};
// max |a - b| <= rel * max |b|.
::testing::AssertionResult close_to_scale(const Tensor& a, const Tensor& b, double rel) {
  if (a.shape() != b.shape()) return ::testing::AssertionFailure() << "shapes differ";
  double diff = 0, scale = 0;
  int64_t worst = 0;
  for (int64_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::abs(double(b[i])));
    if (std::abs(double(a[i]) - b[i]) > diff) diff = std::abs(double(a[i]) - b[i]), worst = i;
  }
  if (diff <= rel * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "element " << worst << ": " << a[worst] << " vs " << b[worst]
                                       << ", largest |value| " << scale;
}

Joins check_fused_matches_plain(const json& layers, const Shape& in) {
  models::Sequential fused("s"), plain("s");
  fused.add_from_config(layers, "s");
  plain.add_from_config(layers, "s");
  fused.build(in, true);
  plain.build(in, false);
  EXPECT_EQ(plain.blocked_boundaries() + plain.handed_activations(), 0u);
  Rng rng(9);
  plain.init(rng, nn::Init::pytorch);
  auto pp = plain.params(), fp = fused.params();
  EXPECT_EQ(pp.size(), fp.size());
  for (size_t i = 0; i < pp.size(); ++i) *fp[i].value = *pp[i].value;

  const Tensor x = random_tensor({5, in[0], in[1], in[2]}, 2);
  const Tensor y = plain.forward(x, nn::Mode::train);
  const Tensor yf = fused.forward(x, nn::Mode::train);
  EXPECT_TRUE(all_close(yf, y, 1e-6, 1e-7));
  const Tensor dy = random_tensor(y.shape(), 3);
  const Tensor dx = plain.backward(dy, true);
  const Tensor dxf = fused.backward(dy, true);
  // A direct conv joined to a blocked neighbour runs another kernel (conv_direct_blocked.h) than
  // unjoined, which adds in another order; a gradient that is a sum with much cancellation then
  // differs by up to a few 1e-4 of its own value, so gradients are compared against their
  // tensor's largest value (a misread layout would be off by the values' whole size).
  EXPECT_TRUE(close_to_scale(dxf, dx, 1e-5));
  for (size_t i = 0; i < pp.size(); ++i) {
    if (pp[i].grad) {
      EXPECT_TRUE(close_to_scale(*fp[i].grad, *pp[i].grad, 1e-5)) << pp[i].name;
    }
  }
  return {fused.blocked_boundaries(), fused.handed_activations(), fused.bf16_boundaries()};
}

// The output, input gradient and parameter gradients of one pass (weights from seed 9).
struct Pass {
  Tensor y, dx;
  std::vector<Tensor> grads;
  size_t bf16_boundaries = 0;
};
Pass one_pass(const json& layers, const Shape& in, kernels::Precision precision, bool fuse) {
  kernels::PrecisionScope scope(precision, "test");
  models::Sequential s("s");
  s.add_from_config(layers, "s");
  s.build(in, fuse);
  Rng rng(9);
  s.init(rng, nn::Init::pytorch);
  const Tensor x = random_tensor({8, in[0], in[1], in[2]}, 2);
  Pass p{s.forward(x, nn::Mode::train), {}, {}, s.bf16_boundaries()};
  p.dx = s.backward(random_tensor(p.y.shape(), 3), true);
  for (const nn::Param& q : s.params())
    if (q.grad) p.grads.push_back(*q.grad);
  return p;
}
// ||a - b|| / ||b||
double relative_error(const Tensor& a, const Tensor& b) {
  double d = 0, n = 0;
  for (int64_t i = 0; i < a.size(); ++i) d += std::pow(double(a[i]) - b[i], 2), n += std::pow(double(b[i]), 2);
  return std::sqrt(d / n);
}

// Under bf16 the fused stack (bf16 boundaries) is as close to the fp32 result as the unfused bf16
// stack (bf16 products only) is: its boundaries round only what the products round anyway, so
// they add at most a little (a silently wrong value would not pass). Returns the bf16 boundaries.
size_t check_bf16_boundaries_cost_nothing(const json& layers, const Shape& in) {
  const Pass ref = one_pass(layers, in, kernels::Precision::fp32, false);
  const Pass products = one_pass(layers, in, kernels::Precision::bf16, false);
  const Pass fused = one_pass(layers, in, kernels::Precision::bf16, true);
  auto near = [](const Tensor& f, const Tensor& p, const Tensor& r, const std::string& what) {
    const double ef = relative_error(f, r), ep = relative_error(p, r);
    EXPECT_LE(ef, 1.25 * ep + 1e-4) << what << ": fused bf16 " << ef << ", unfused bf16 " << ep << " from fp32";
  };
  EXPECT_GT(relative_error(products.y, ref.y), 0) << "bf16 products changed nothing";
  near(fused.y, products.y, ref.y, "y");
  near(fused.dx, products.dx, ref.dx, "dx");
  for (size_t i = 0; i < ref.grads.size(); ++i) near(fused.grads[i], products.grads[i], ref.grads[i], "grad " + std::to_string(i));
  return fused.bf16_boundaries;
}

// Like chapter 002's denoiser at a small size (a leaky_relu conv in it too).
const char* kDenoiserLike = R"([
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu"},
    {"type": "max_pool2d", "pool": 2, "padding": "same"},
    {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same", "activation": "leaky_relu", "alpha": 0.2},
    {"type": "max_pool2d", "pool": 2, "padding": "same"},
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "valid", "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d", "filters": 1, "kernel": 3, "padding": "same", "activation": "sigmoid"}])";

TEST(BlockedLayout, ConvStackGivesTheSameResultsFusedOrNot) {
  const Joins j = check_fused_matches_plain(json::parse(kDenoiserLike), {1, 14, 14});
  EXPECT_EQ(j.blocked, 8u);  // every boundary: the direct convs at the ends are blocked on their wide side
  EXPECT_EQ(j.handed, 4u);   // each relu / leaky_relu conv before a pool / upsampling
}

// Under bf16 the boundaries around the second pooling and the first upsampling hold bf16 (each
// between two oneDNN convolutions, whose derivatives go on to them); the first pooling (after the
// direct conv) and the last upsampling (before the direct conv) stay fp32 on both sides. The
// results are as close to fp32's as the unfused bf16 stack's.
TEST(BlockedLayout, ConvStackUnderBf16HoldsBf16BoundariesWithinBf16Rounding) {
  if (!kernels::cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16";
  EXPECT_EQ(check_bf16_boundaries_cost_nothing(json::parse(kDenoiserLike), {1, 14, 14}), 4u);
}

// bf16 only between two bf16 products: a conv keeping its own activation derivative (sigmoid)
// reads fp32 dy, so the pooling after it stays fp32 on both sides; the next conv's (relu, handed
// on) pooling is bf16 on both.
TEST(BlockedLayout, Bf16BoundariesOnlyBetweenTwoBf16Products) {
  models::Sequential s("s");
  s.add_from_config(json::parse(R"([
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "sigmoid"},
    {"type": "max_pool2d", "pool": 2},
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu"},
    {"type": "max_pool2d", "pool": 2},
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same"},
    {"type": "upsampling2d", "size": 2}])"), "s");
  s.build({16, 8, 8}, true);
  EXPECT_EQ(s.blocked_boundaries(), 5u);
  EXPECT_EQ(s.bf16_boundaries(), 2u);  // conv2 | pool2 | conv3; the upsampling ends the stack
}

// Like chapter 001's conv VAE decoder: transposed convs (stride 1 and 2, with bias and relu).
TEST(BlockedLayout, TransposedConvStackGivesTheSameResultsFusedOrNot) {
  const Joins j = check_fused_matches_plain(json::parse(kTransposedStack), {16, 2, 2});
  EXPECT_EQ(j.blocked, 4u);  // all four (the last conv is direct, its 16-channel input blocked)
  EXPECT_EQ(j.handed, 1u);   // the relu conv before the upsampling
  EXPECT_EQ(j.bf16, 0u);     // a transposed conv's y stays fp32, so no upsampling here is between two
}

// A conv's bf16 output upsampled into a transposed conv: bf16 on both sides of the upsampling.
TEST(BlockedLayout, TransposedConvStackUnderBf16WithinBf16Rounding) {
  if (!kernels::cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16";
  EXPECT_EQ(check_bf16_boundaries_cost_nothing(json::parse(R"([
    {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same", "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "stride": 2, "padding": "same"}])"), {16, 3, 3}),
            2u);
}

}  // namespace
