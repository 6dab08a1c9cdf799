// The channel-blocked activation layout (kernels/blocked.h) that Sequential uses between layers
// able to hold it: the conversions themselves, max-pooling and upsampling with each side in
// either layout, and whole conv stacks that must give the same outputs and gradients joined
// in the blocked layout as with every boundary plain.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <nlohmann/json.hpp>
#include <vector>

#include "kernels/blocked.h"
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

TEST(BlockedLayout, MaxPoolAndUpsamplingInEitherLayout) {
  check_layouts({{"type", "max_pool2d"}, {"pool", 2}, {"padding", "same"}}, {32, 7, 7});  // 7 -> 4
  check_layouts({{"type", "max_pool2d"}, {"pool", 2}}, {16, 28, 28});
  check_layouts({{"type", "max_pool2d"}, {"pool", 3}, {"stride", 2}}, {16, 9, 11});
  check_layouts({{"type", "upsampling2d"}, {"size", 2}}, {32, 14, 14});
  check_layouts({{"type", "upsampling2d"}, {"size", {2, 3}}}, {16, 5, 3});
}

TEST(BlockedLayout, OnlyWholeChannelBlocks) {
  auto pool = nn::make_layer({{"type", "max_pool2d"}}, "test");
  pool->build({24, 8, 8});
  EXPECT_FALSE(pool->as_fusable()->takes_blocked());
  auto direct = nn::make_layer({{"type", "conv2d"}, {"filters", 32}, {"kernel", 3}}, "test");
  direct->build({1, 8, 8});  // one input channel: the direct kernel, plain only
  EXPECT_FALSE(direct->as_fusable()->takes_blocked());
  EXPECT_FALSE(direct->as_fusable()->gives_blocked());
  auto transposed = nn::make_layer({{"type", "conv2d_transpose"}, {"filters", 32}, {"kernel", 3}, {"stride", 2}}, "test");
  transposed->build({32, 4, 4});
  EXPECT_TRUE(transposed->as_fusable()->takes_blocked() && transposed->as_fusable()->gives_blocked());
  auto transposed_direct = nn::make_layer({{"type", "conv2d_transpose"}, {"filters", 1}, {"kernel", 5}}, "test");
  transposed_direct->build({32, 4, 4});  // one output channel, stride 1: the direct kernel
  EXPECT_FALSE(transposed_direct->as_fusable()->takes_blocked());
}

// A stack built twice from the same config: fused (blocked layout where possible, activation
// derivatives handed to pooling / upsampling) and not. Same weights, same input: the outputs,
// input gradients and every parameter gradient agree. Returns the fused stack's joins.
std::pair<size_t, size_t> check_fused_matches_plain(const json& layers, const Shape& in) {
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
  EXPECT_TRUE(all_close(dxf, dx, 1e-5, 1e-7));
  for (size_t i = 0; i < pp.size(); ++i) {
    if (pp[i].grad) {
      EXPECT_TRUE(all_close(*fp[i].grad, *pp[i].grad, 1e-5, 1e-7)) << pp[i].name;
    }
  }
  return {fused.blocked_boundaries(), fused.handed_activations()};
}

// Like chapter 002's denoiser at a small size (a leaky_relu conv in it too).
TEST(BlockedLayout, ConvStackGivesTheSameResultsFusedOrNot) {
  const auto [blocked, handed] = check_fused_matches_plain(json::parse(R"([
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu"},
    {"type": "max_pool2d", "pool": 2, "padding": "same"},
    {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same", "activation": "leaky_relu", "alpha": 0.2},
    {"type": "max_pool2d", "pool": 2, "padding": "same"},
    {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "valid", "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d", "filters": 1, "kernel": 3, "padding": "same", "activation": "sigmoid"}])"), {1, 14, 14});
  EXPECT_GE(blocked, 5u);   // pool1 | conv2 ... upsample2 | conv4
  EXPECT_EQ(handed, 4u);    // each relu / leaky_relu conv before a pool / upsampling
}

// Like chapter 001's conv VAE decoder: transposed convs (stride 1 and 2, with bias and relu).
TEST(BlockedLayout, TransposedConvStackGivesTheSameResultsFusedOrNot) {
  const auto [blocked, handed] = check_fused_matches_plain(json::parse(R"([
    {"type": "conv2d_transpose", "filters": 32, "kernel": 3, "activation": "relu"},
    {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "activation": "relu"},
    {"type": "upsampling2d", "size": 2},
    {"type": "conv2d_transpose", "filters": 16, "kernel": 3, "stride": 2, "padding": "same"},
    {"type": "conv2d_transpose", "filters": 1, "kernel": 3, "activation": "relu"}])"), {16, 2, 2});
  EXPECT_EQ(blocked, 3u);  // the first three boundaries; the last conv is direct (one channel)
  EXPECT_EQ(handed, 1u);   // the relu conv before the upsampling
}

}  // namespace
