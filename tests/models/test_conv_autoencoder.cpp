// End to end: chapter 002's convolutional denoising autoencoder (filters 32, 32, 16; 3x3 ReLU
// 'same' convolutions, 2x2 'same' max pooling; decoder mirrored with nearest upsampling and one
// 'valid' convolution so 4 -> 8 -> 16 -> 14 -> 28; sigmoid output; binary cross-entropy) builds
// from its JSON, runs forward/backward through models::Autoencoder and learns.
#include <gtest/gtest.h>

#include <cmath>

#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "support/grad_check.h"
#include "tensor/error.h"

using namespace aekit;
using json = nlohmann::json;

namespace {

json conv(int filters, const char* act = "relu", const char* padding = "same") {
  return {{"type", "conv2d"}, {"filters", filters}, {"kernel", 3}, {"padding", padding}, {"activation", act}};
}
const json pool = {{"type", "max_pool2d"}, {"pool", 2}, {"padding", "same"}};
const json up = {{"type", "upsampling2d"}, {"size", 2}};

json chapter002() {
  return {{"encoder", {conv(32), pool, conv(32), pool, conv(16), pool}},
          {"decoder", {conv(16), up, conv(32), up, conv(32, "relu", "valid"), up, conv(1, "sigmoid")}},
          {"loss", {{"type", "bce"}}}};
}

TEST(ConvAutoencoder, Chapter002ShapesAndParameters) {
  models::Autoencoder ae(chapter002(), {1, 28, 28});
  EXPECT_EQ(ae.code_shape(), (Shape{16, 4, 4}));
  const Shape expect[] = {{32, 28, 28}, {32, 14, 14}, {32, 14, 14}, {32, 7, 7}, {16, 7, 7}, {16, 4, 4}};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(ae.encoder().layer(i).out_shape(), expect[i]) << i;
  const Shape dexpect[] = {{16, 4, 4}, {16, 8, 8}, {32, 8, 8}, {32, 16, 16}, {32, 14, 14}, {32, 28, 28}, {1, 28, 28}};
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(ae.decoder().layer(i).out_shape(), dexpect[i]) << i;
  auto p = ae.params();
  ASSERT_EQ(p.size(), 14u);
  EXPECT_EQ(p[0].name, "encoder.0.weight");
  EXPECT_EQ(p[0].value->shape(), (Shape{32, 1, 3, 3}));
  EXPECT_EQ(p.back().name, "decoder.6.bias");
  int64_t n = 0;
  for (auto& q : p) n += q.value->size();
  // Keras's model.summary() for this model: 28,353 parameters
  EXPECT_EQ(n, 320 + 9248 + 4624 + 2320 + 4640 + 9248 + 289);
  // forward FLOPs per sample: 2 * Σ out_pixels * F * C * 9
  const double flops = 2.0 * 9 *
                       (784 * 32 * 1 + 196 * 32 * 32 + 49 * 16 * 32 + 16 * 16 * 16 + 64 * 32 * 16 + 196 * 32 * 32 +
                        784 * 1 * 32);
  EXPECT_DOUBLE_EQ(ae.flops_per_sample(), flops);
}

TEST(ConvAutoencoder, Chapter002TrainsOnABatch) {
  models::Autoencoder ae(chapter002(), {1, 28, 28});
  Rng rng(11);
  ae.init(rng);
  // A blurry blob per image as the clean target, plus clipped noise as the input.
  const int64_t B = 8;
  Tensor clean({B, 1, 28, 28}), noisy({B, 1, 28, 28});
  Rng data(5);
  for (int64_t b = 0; b < B; ++b) {
    const float cy = 8 + 12 * data.uniform(), cx = 8 + 12 * data.uniform();
    for (int64_t i = 0; i < 28; ++i)
      for (int64_t j = 0; j < 28; ++j) {
        const int64_t k = (b * 28 + i) * 28 + j;
        clean[k] = std::exp(-((i - cy) * (i - cy) + (j - cx) * (j - cx)) / 30.0f);
        noisy[k] = std::clamp(clean[k] + 0.5f * data.normal(), 0.0f, 1.0f);
      }
  }
  auto opt = nn::make_optimizer(nlohmann::json{{"type", "adam"}, {"lr", 2e-3}});
  auto params = ae.params();
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    models::StepLoss l = ae.train_step(noisy, clean);
    ASSERT_TRUE(std::isfinite(l.recon));
    if (step == 0) first = l.recon;
    last = l.recon;
    for (auto& p : params) {
      double s = 0;
      for (float g : *p.grad) s += std::fabs(g);
      ASSERT_TRUE(std::isfinite(s)) << p.name;
      if (step == 0) {
        EXPECT_GT(s, 0.0) << p.name << " has no gradient";
      }
    }
    opt->step(params);
  }
  EXPECT_LT(last, 0.8 * first) << "first " << first << " last " << last;
  const Tensor& r = ae.reconstruct(noisy);
  EXPECT_EQ(r.shape(), (Shape{B, 1, 28, 28}));
  EXPECT_EQ(ae.encode(noisy).shape(), (Shape{B, 16, 4, 4}));
  // an eval batch of another size through the same layers
  Tensor one({1, 1, 28, 28});
  EXPECT_EQ(ae.reconstruct(one).shape(), (Shape{1, 1, 28, 28}));
}

TEST(ConvAutoencoder, AllNewLayersTrainTogether) {
  // conv + batch_norm + dropout + flatten + dense code, then dense + reshape + transposed convs
  models::Autoencoder ae(
      {{"encoder",
        {{{"type", "conv2d"}, {"filters", 8}, {"kernel", 3}, {"stride", 2}, {"padding", "same"}},
         {{"type", "batch_norm"}},
         {{"type", "relu"}},
         {{"type", "dropout"}, {"rate", 0.2}},
         {{"type", "flatten"}},
         {{"type", "dense"}, {"units", 10}}}},
       {"decoder",
        {{{"type", "dense"}, {"units", 8 * 7 * 7}, {"activation", "relu"}},
         {{"type", "reshape"}, {"shape", {8, 7, 7}}},
         {{"type", "conv2d_transpose"}, {"filters", 8}, {"kernel", 3}, {"stride", 2}, {"padding", "same"},
          {"activation", "relu"}},
         {{"type", "conv2d_transpose"}, {"filters", 1}, {"kernel", 3}, {"padding", "same"}, {"activation", "sigmoid"}}}},
       {"loss", {{"type", "bce"}}}},
      {1, 14, 14});
  EXPECT_EQ(ae.code_shape(), (Shape{10}));
  Rng rng(3), drops(4);
  ae.init(rng);
  ae.set_rng(&drops);
  Tensor x({6, 1, 14, 14});
  for (float& v : x) v = rng.uniform();
  auto params = ae.params();
  const Tensor running_mean0 = *params[4].value;
  ASSERT_EQ(params[4].name, "encoder.1.running_mean");
  EXPECT_EQ(params[4].grad, nullptr);
  auto opt = nn::make_optimizer(nlohmann::json{{"type", "adam"}, {"lr", 1e-2}});
  double first = 0, last = 0;
  for (int step = 0; step < 20; ++step) {
    const double l = ae.train_step(x, x).recon;
    ASSERT_TRUE(std::isfinite(l));
    (step == 0 ? first : last) = l;
    opt->step(params);
  }
  EXPECT_LT(last, first);
  EXPECT_NE((*params[4].value)[0], running_mean0[0]);  // running statistics moved, untrained
  EXPECT_EQ(ae.reconstruct(x).shape(), (Shape{6, 1, 14, 14}));
}

TEST(ConvAutoencoder, ImpossibleShapeNamesTheLayer) {
  json cfg = chapter002();
  cfg["decoder"][4] = {{"type", "conv2d"}, {"filters", 32}, {"kernel", 17}, {"activation", "relu"}};
  try {
    models::Autoencoder ae(cfg, {1, 28, 28});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "decoder[4] (conv2d, input [32,16,16]): conv2d: kernel 17x17 larger than input 16x16 with padding valid"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
