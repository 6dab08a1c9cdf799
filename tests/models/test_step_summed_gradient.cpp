// A RepeatVector followed by a recurrent layer (W7's decoder): fused, the recurrent layer hands
// back its input gradient already summed over the steps ([B, F], nn/fusable.h) and the
// RepeatVector takes it as is. The fused stack must give the same outputs, input gradient and
// parameter gradients as the same stack with every layer on its own, for an LSTM, a
// Bidirectional with either merge, last output and return_sequences, one step; and only the
// layer right after the RepeatVector sums (a second LSTM gets a full gradient).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "models/sequential.h"
#include "support/fixtures.h"
#include "support/grad_check.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

// Builds `layers` fused and plain with the same weights on a [5, in] input, compares, and returns
// how many repeated inputs the fused stack sums early.
size_t check_fused_matches_plain(const json& layers, int64_t in) {
  models::Sequential fused("s"), plain("s");
  fused.add_from_config(layers, "s");
  plain.add_from_config(layers, "s");
  fused.build({in}, true);
  plain.build({in}, false);
  EXPECT_EQ(plain.summed_repeats(), 0u);
  Rng rng(4);
  plain.init(rng, nn::Init::pytorch);
  auto pp = plain.params(), fp = fused.params();
  EXPECT_EQ(pp.size(), fp.size());
  for (size_t i = 0; i < pp.size(); ++i) *fp[i].value = *pp[i].value;

  const Tensor x = random_tensor({5, in}, 2);
  const Tensor y = plain.forward(x, nn::Mode::train);
  const Tensor yf = fused.forward(x, nn::Mode::train);
  EXPECT_TRUE(all_close(yf, y, 0, 0));  // forward is untouched by the fusion
  const Tensor dy = random_tensor(y.shape(), 3);
  const Tensor dx = plain.backward(dy, true);
  const Tensor dxf = fused.backward(dy, true);
  EXPECT_EQ(dxf.shape(), dx.shape());
  // The two stacks sum over the steps in different orders (one product of the summed gradient
  // against T products then a sum), so gradients agree to fp32 reassociation: 1e-6 relative held
  // with oneDNN's AVX-512 kernels, its AVX2 ones (DNNL_MAX_CPU_ISA=AVX2, an AVX2-only machine)
  // differ by 3.5e-6 on a weight gradient.
  EXPECT_TRUE(all_close(dxf, dx, 1e-5, 1e-7));
  for (size_t i = 0; i < pp.size(); ++i) {
    if (pp[i].grad) {
      EXPECT_TRUE(all_close(*fp[i].grad, *pp[i].grad, 1e-5, 1e-8)) << pp[i].name;
    }
  }
  return fused.summed_repeats();
}

TEST(StepSummedGradient, RepeatVectorThenBidirectionalSumAsW7sDecoder) {
  EXPECT_EQ(check_fused_matches_plain(json::parse(R"([
    {"type": "repeat_vector", "n": 7},
    {"type": "bidirectional", "merge": "sum", "layer": {"type": "lstm", "units": 6, "return_sequences": true}}
  ])"), 9), 1u);
}

TEST(StepSummedGradient, RepeatVectorThenBidirectionalConcatLastOutput) {
  EXPECT_EQ(check_fused_matches_plain(json::parse(R"([
    {"type": "repeat_vector", "n": 5},
    {"type": "bidirectional", "merge": "concat", "layer": {"type": "lstm", "units": 4}}
  ])"), 3), 1u);
}

TEST(StepSummedGradient, RepeatVectorThenLstmThenDense) {
  EXPECT_EQ(check_fused_matches_plain(json::parse(R"([
    {"type": "dense", "units": 8, "activation": "tanh"},
    {"type": "repeat_vector", "n": 4},
    {"type": "lstm", "units": 5, "return_sequences": true},
    {"type": "flatten"},
    {"type": "dense", "units": 3}
  ])"), 6), 1u);
}

TEST(StepSummedGradient, OneStepIsStillSummedCorrectly) {
  // n = 1: the LSTM does not see a repeated input (nothing to repeat), the sum is one step.
  EXPECT_EQ(check_fused_matches_plain(json::parse(R"([
    {"type": "repeat_vector", "n": 1},
    {"type": "lstm", "units": 3, "return_sequences": true}
  ])"), 4), 1u);
}

TEST(StepSummedGradient, OnlyTheLayerRightAfterTheRepeatVectorSums) {
  models::Sequential s("s");
  s.add_from_config(json::parse(R"([
    {"type": "repeat_vector", "n": 3},
    {"type": "lstm", "units": 4, "return_sequences": true},
    {"type": "lstm", "units": 2}
  ])"), "s");
  s.build({5}, true);
  EXPECT_EQ(s.summed_repeats(), 1u);  // only the first LSTM; the second gets a full [B, T, 4] gradient
  Rng rng(1);
  s.init(rng, nn::Init::pytorch);
  const Tensor x = random_tensor({2, 5}, 5);
  const Tensor& y = s.forward(x, nn::Mode::train);
  const Tensor& dx = s.backward(random_tensor(y.shape(), 6), true);
  EXPECT_EQ(dx.shape(), (Shape{2, 5}));
}

}  // namespace
