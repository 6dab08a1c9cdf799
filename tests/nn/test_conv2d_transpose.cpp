#include <gtest/gtest.h>

#include "nn/conv2d_transpose.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

nn::LayerPtr make(json cfg) {
  cfg["type"] = "conv2d_transpose";
  return nn::make_layer(cfg, "test");
}

struct Case {
  const char* fixture;
  json cfg;
};

class Conv2DTransposeFixture : public ::testing::TestWithParam<Case> {};

TEST_P(Conv2DTransposeFixture, MatchesPyTorch) {
  Fixture f(GetParam().fixture);
  auto l = make(GetParam().cfg);
  l->build(Shape(f["x"].shape().begin() + 1, f["x"].shape().end()));
  for (auto& p : l->params()) {
    ASSERT_EQ(p.value->shape(), f[p.name].shape()) << p.name;
    *p.value = f[p.name];
  }
  const Tensor& y = l->forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["y"].shape());
  EXPECT_TRUE(all_close(y, f["y"], 1e-4, 1e-5)) << "y";
  const Tensor& dx = l->backward(f["dy"], true);
  EXPECT_TRUE(all_close(dx, f["dx"], 1e-4, 1e-5)) << "dx";
  for (auto& p : l->params()) EXPECT_TRUE(all_close(*p.grad, f["d" + p.name], 1e-4, 1e-5)) << "d" << p.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Conv2DTransposeFixture,
    ::testing::Values(
        Case{"conv2d_transpose_same_s2",
             {{"filters", 5}, {"kernel", 3}, {"stride", 2}, {"padding", "same"}, {"activation", "relu"}}},
        Case{"conv2d_transpose_valid_s2", {{"filters", 2}, {"kernel", 3}, {"stride", 2}, {"padding", "valid"}}},
        Case{"conv2d_transpose_same_s1",
             {{"filters", 2}, {"kernel", 3}, {"padding", "same"}, {"activation", "sigmoid"}}},
        Case{"conv2d_transpose_same_k4s2",
             {{"filters", 3}, {"kernel", 4}, {"stride", 2}, {"padding", "same"}, {"activation", "tanh"}}},
        Case{"conv2d_transpose_valid_op1",
             {{"filters", 3}, {"kernel", 3}, {"stride", 2}, {"padding", "valid"}, {"output_padding", 1}}},
        Case{"conv2d_transpose_k1s2_same", {{"filters", 2}, {"kernel", 1}, {"stride", 2}, {"padding", "same"}}}),
    [](const auto& info) { return std::string(info.param.fixture); });

// Scatter form in double: every input pixel adds x * w[c, f] into the full output at
// (i * s + u, j * s + v); y is the full output shifted up/left by (pt, pl), plus the bias.
::testing::AssertionResult matches_scatter(nn::Conv2DTranspose& l, int64_t stride, int64_t pt, int64_t pl) {
  const Shape in = l.in_shape(), out = l.out_shape();
  const int64_t B = 2, C = in[0], H = in[1], W = in[2], F = out[0], OH = out[1], OW = out[2];
  const int64_t K = l.weight().dim(2);
  Tensor x = random_tensor({B, C, H, W}, 8);
  const Tensor y = l.forward(x, nn::Mode::train);
  Tensor g = random_tensor(y.shape(), 9);
  const Tensor dx = l.backward(g, true);
  const Tensor& w = l.weight();
  std::vector<double> ry(y.size()), rdx(x.size()), rdw(w.size());
  for (int64_t n = 0; n < B; ++n)
    for (int64_t f = 0; f < F; ++f)
      for (int64_t i = 0; i < OH * OW; ++i) ry[(n * F + f) * OH * OW + i] = l.bias()[f];
  for (int64_t n = 0; n < B; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t i = 0; i < H; ++i)
        for (int64_t j = 0; j < W; ++j)
          for (int64_t f = 0; f < F; ++f)
            for (int64_t u = 0; u < K; ++u)
              for (int64_t v = 0; v < K; ++v) {
                const int64_t r = i * stride + u - pt, q = j * stride + v - pl;
                if (r < 0 || r >= OH || q < 0 || q >= OW) continue;
                const int64_t xi = ((n * C + c) * H + i) * W + j, wi = ((c * F + f) * K + u) * K + v;
                const int64_t o = ((n * F + f) * OH + r) * OW + q;
                ry[o] += static_cast<double>(x[xi]) * w[wi];
                rdx[xi] += static_cast<double>(g[o]) * w[wi];
                rdw[wi] += static_cast<double>(g[o]) * x[xi];
              }
  auto near = [](const Tensor& a, const std::vector<double>& ref, const char* what) -> ::testing::AssertionResult {
    for (size_t i = 0; i < ref.size(); ++i)
      if (std::fabs(a[i] - ref[i]) > 1e-4 * (1 + std::fabs(ref[i])))
        return ::testing::AssertionFailure() << what << "[" << i << "]: " << a[i] << " vs " << ref[i];
    return ::testing::AssertionSuccess();
  };
  if (auto r = near(y, ry, "y"); !r) return r;
  if (auto r = near(dx, rdx, "dx"); !r) return r;
  return near(*l.params()[0].grad, rdw, "dweight");
}

// Shapes of chapter 003's strided decoder (7 -> 14 -> 28) and a 1-filter output layer.
TEST(Conv2DTranspose, RealShapesMatchScatterForm) {
  struct S {
    int64_t c, h, f, k, s;
  };
  for (S s : {S{8, 7, 16, 3, 2}, S{16, 14, 32, 3, 2}, S{32, 28, 1, 3, 1}}) {
    nn::Conv2DTranspose l(s.f, {s.k, s.k}, {s.s, s.s}, nn::parse_padding({{"padding", "same"}}, false));
    l.build({s.c, s.h, s.h});
    Rng rng(4);
    l.init(rng, nn::Init::pytorch);
    // 'same': full output (h - 1) s + k, cropped by max(k - s, 0) / 2 on top
    const int64_t top = std::max<int64_t>(s.k - s.s, 0) / 2;
    EXPECT_EQ(l.out_shape(), (Shape{s.f, s.h * s.s, s.h * s.s}));
    EXPECT_TRUE(matches_scatter(l, s.s, top, top)) << s.c << "x" << s.h << " -> " << s.f;
  }
}

// Stride 1 with >= 8 channels on both sides runs on oneDNN's deconvolution (not the direct
// kernel): chapter 001's decoder shapes ('valid', 3 -> 5 and 10 -> 12) and a 'same' one,
// including the bias gradient (the per-channel sum of g).
TEST(Conv2DTranspose, StrideOneWideShapesMatchScatterForm) {
  struct S {
    int64_t c, h, f, k;
    const char* padding;
  };
  for (S s : {S{16, 3, 8, 3, "valid"}, S{8, 10, 16, 3, "valid"}, S{16, 6, 8, 3, "same"}}) {
    nn::Conv2DTranspose l(s.f, {s.k, s.k}, {1, 1}, nn::parse_padding({{"padding", s.padding}}, false));
    l.build({s.c, s.h, s.h});
    Rng rng(5);
    l.init(rng, nn::Init::pytorch);
    const bool same = std::string(s.padding) == "same";
    EXPECT_EQ(l.out_shape(), (Shape{s.f, same ? s.h : s.h + s.k - 1, same ? s.h : s.h + s.k - 1}));
    const int64_t top = same ? (s.k - 1) / 2 : 0;
    EXPECT_TRUE(matches_scatter(l, 1, top, top)) << s.c << "x" << s.h << " -> " << s.f << " " << s.padding;
    // db = sum of g (matches_scatter's last backward used g = random_tensor(y shape, 9))
    const Tensor g = random_tensor({2, l.out_shape()[0], l.out_shape()[1], l.out_shape()[2]}, 9);
    const Tensor& db = *l.params()[1].grad;
    const int64_t plane = l.out_shape()[1] * l.out_shape()[2];
    for (int64_t f = 0; f < s.f; ++f) {
      double ref = 0;
      for (int64_t n = 0; n < 2; ++n)
        for (int64_t i = 0; i < plane; ++i) ref += g[(n * s.f + f) * plane + i];
      EXPECT_NEAR(db[f], ref, 1e-4 * (1 + std::fabs(ref))) << "db[" << f << "]";
    }
  }
}

TEST(Conv2DTranspose, GradientCheck) {
  for (json cfg : {json{{"filters", 2}, {"kernel", 3}, {"stride", 2}, {"padding", "same"}, {"activation", "tanh"}},
                   json{{"filters", 3}, {"kernel", 2}, {"stride", 2}, {"padding", "valid"}},
                   json{{"filters", 2}, {"kernel", 3}, {"stride", 2}, {"padding", "valid"}, {"output_padding", 1},
                        {"activation", "sigmoid"}},
                   // stride 1 runs on the direct kernel; kernel 4 'same' crops 1 on top, 2 below
                   json{{"filters", 2}, {"kernel", 4}, {"padding", "same"}, {"activation", "tanh"}}}) {
    auto l = make(cfg);
    l->build({2, 3, 3});
    Rng rng(7);
    l->init(rng, nn::Init::pytorch);
    EXPECT_TRUE(check_layer_gradients(*l, random_tensor({2, 2, 3, 3}, 11), 3)) << cfg.dump();
  }
}

TEST(Conv2DTranspose, SaveLoadRoundTrip) {
  auto l = make({{"filters", 3}, {"kernel", {3, 2}}, {"stride", 2}, {"padding", "same"}, {"output_padding", {1, 0}},
                 {"activation", "relu"}});
  l->build({2, 4, 5});
  Rng rng(1);
  l->init(rng, nn::Init::keras);
  EXPECT_TRUE(check_roundtrip(*l, random_tensor({3, 2, 4, 5}, 2)));
}

TEST(Conv2DTranspose, OutputShapesFollowKeras) {
  auto shape = [](json cfg, Shape in) {
    cfg["filters"] = 4;
    return make(cfg)->build(in);
  };
  EXPECT_EQ(shape({{"kernel", 3}, {"stride", 2}, {"padding", "same"}}, {1, 7, 7}), (Shape{4, 14, 14}));
  EXPECT_EQ(shape({{"kernel", 3}, {"stride", 2}, {"padding", "valid"}}, {1, 7, 7}), (Shape{4, 15, 15}));
  EXPECT_EQ(shape({{"kernel", 1}, {"stride", 2}, {"padding", "valid"}}, {1, 7, 7}), (Shape{4, 14, 14}));
  EXPECT_EQ(shape({{"kernel", 3}, {"stride", 2}, {"padding", "same"}, {"output_padding", 1}}, {1, 7, 7}),
            (Shape{4, 14, 14}));
  EXPECT_EQ(shape({{"kernel", 3}, {"stride", 2}, {"padding", "valid"}, {"output_padding", 1}}, {1, 7, 7}),
            (Shape{4, 16, 16}));
  EXPECT_EQ(make({{"filters", 4}, {"kernel", 3}})->build({2, 5, 6}), (Shape{4, 7, 8}));
}

TEST(Conv2DTranspose, RejectsBadConfigsAndInputs) {
  EXPECT_THROW(make({{"filters", 2}, {"kernel", 3}, {"stride", 2}, {"output_padding", 2}}), InputError);
  EXPECT_THROW(make({{"filters", 2}, {"kernel", 3}, {"padding", 1}}), InputError);
  EXPECT_THROW(make({{"kernel", 3}}), InputError);
  EXPECT_THROW(make({{"filters", 2}, {"kernel_size", 3}}), InputError);
  // kernel 2, 'same', output_padding 0 on a 1-pixel input: (1 - 1) * 1 + 2 - 2 + 0 = 0 rows
  try {
    make({{"filters", 2}, {"kernel", 2}, {"padding", "same"}, {"output_padding", 0}})->build({1, 1, 1});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("conv2d_transpose: input 1x1 gives an empty output"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(make({{"filters", 2}, {"kernel", 3}})->build({9}), InputError);
}

}  // namespace
