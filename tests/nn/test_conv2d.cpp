#include <gtest/gtest.h>

#include "kernels/matmul.h"
#include "nn/conv2d.h"
#include "nn/registry.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

nn::LayerPtr make(const json& cfg) { return nn::make_layer(cfg, "test"); }

Shape sample_shape(const Tensor& x) { return Shape(x.shape().begin() + 1, x.shape().end()); }

// Loads the fixture's parameters, runs forward(x) and backward(dy) in train mode, and compares
// y, dx and every parameter gradient (fixture key "d" + name).
void expect_fixture(nn::Layer& l, const std::string& name) {
  Fixture f(name);
  l.build(sample_shape(f["x"]));
  for (auto& p : l.params()) {
    ASSERT_EQ(p.value->shape(), f[p.name].shape()) << p.name;
    *p.value = f[p.name];
  }
  const Tensor& y = l.forward(f["x"], nn::Mode::train);
  EXPECT_EQ(y.shape(), f["y"].shape());
  EXPECT_TRUE(all_close(y, f["y"], 1e-4, 1e-5)) << "y";
  const Tensor& dx = l.backward(f["dy"], true);
  EXPECT_EQ(dx.shape(), f["x"].shape());
  EXPECT_TRUE(all_close(dx, f["dx"], 1e-4, 1e-5)) << "dx";
  for (auto& p : l.params()) EXPECT_TRUE(all_close(*p.grad, f["d" + p.name], 1e-4, 1e-5)) << "d" << p.name;
}

struct Case {
  const char* fixture;
  json cfg;
};

class Conv2DFixture : public ::testing::TestWithParam<Case> {};

TEST_P(Conv2DFixture, MatchesPyTorch) {
  auto l = make(GetParam().cfg);
  expect_fixture(*l, GetParam().fixture);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Conv2DFixture,
    ::testing::Values(
        Case{"conv2d_same_s1_relu",
             {{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"padding", "same"}, {"activation", "relu"}}},
        Case{"conv2d_same_s2_even",
             {{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"stride", 2}, {"padding", "same"}, {"activation", "tanh"}}},
        Case{"conv2d_same_rect_nobias",
             {{"type", "conv2d"}, {"filters", 3}, {"kernel", {4, 3}}, {"stride", {1, 2}}, {"padding", "same"},
              {"use_bias", false}}},
        Case{"conv2d_valid_16",
             {{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"padding", "valid"}, {"activation", "relu"}}},
        Case{"conv2d_same_s1_sigmoid_f1",
             {{"type", "conv2d"}, {"filters", 1}, {"kernel", 3}, {"padding", "same"}, {"activation", "sigmoid"}}},
        Case{"conv2d_valid_leaky_relu",
             {{"type", "conv2d"}, {"filters", 3}, {"kernel", 3}, {"activation", "leaky_relu"}, {"alpha", 0.2}}},
        Case{"conv2d_pad1_s2_sigmoid",
             {{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"stride", 2}, {"padding", 1}, {"activation", "sigmoid"}}}),
    [](const auto& info) { return std::string(info.param.fixture); });

// Direct convolution in double, the reference for the shapes the real model uses (where oneDNN
// picks blocked layouts and reorders): y = conv(x, w) + b and, for upstream g, dx and dw.
struct Reference {
  int64_t B, C, H, W, F, K, S, pt, pl, OH, OW;
  std::vector<double> y, dx, dw;
  Reference(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& g, int64_t stride, int64_t pt_,
            int64_t pl_, int64_t oh, int64_t ow)
      : B(x.dim(0)), C(x.dim(1)), H(x.dim(2)), W(x.dim(3)), F(w.dim(0)), K(w.dim(2)), S(stride), pt(pt_), pl(pl_),
        OH(oh), OW(ow), y(B * F * OH * OW), dx(x.size()), dw(w.size()) {
    for (int64_t n = 0; n < B; ++n)
      for (int64_t f = 0; f < F; ++f)
        for (int64_t i = 0; i < OH; ++i)
          for (int64_t j = 0; j < OW; ++j) {
            const int64_t o = ((n * F + f) * OH + i) * OW + j;
            double s = b[f];
            for (int64_t c = 0; c < C; ++c)
              for (int64_t u = 0; u < K; ++u)
                for (int64_t v = 0; v < K; ++v) {
                  const int64_t r = i * S + u - pt, q = j * S + v - pl;
                  if (r < 0 || r >= H || q < 0 || q >= W) continue;
                  const int64_t xi = ((n * C + c) * H + r) * W + q, wi = ((f * C + c) * K + u) * K + v;
                  s += static_cast<double>(x[xi]) * w[wi];
                  dx[xi] += static_cast<double>(g[o]) * w[wi];
                  dw[wi] += static_cast<double>(g[o]) * x[xi];
                }
            y[o] = s;
          }
  }
};

::testing::AssertionResult near(const Tensor& a, const std::vector<double>& ref, double tol) {
  if (static_cast<size_t>(a.size()) != ref.size()) return ::testing::AssertionFailure() << "size " << a.size();
  for (size_t i = 0; i < ref.size(); ++i)
    if (std::fabs(a[i] - ref[i]) > tol * (1 + std::fabs(ref[i])))
      return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " vs " << ref[i];
  return ::testing::AssertionSuccess();
}

// The chapter-002 conv shapes at a small batch: [C, H] -> F, 3x3, 'same' or 'valid'.
struct RealShape {
  int64_t c, h, f;
  const char* padding;
};

class Conv2DRealShapes : public ::testing::TestWithParam<RealShape> {};

TEST_P(Conv2DRealShapes, MatchesDirectConvolution) {
  const RealShape r = GetParam();
  const bool same = std::string(r.padding) == "same";
  nn::Conv2D conv(r.f, {3, 3}, {1, 1}, nn::parse_padding({{"padding", r.padding}}, false));
  conv.build({r.c, r.h, r.h});
  Rng rng(3);
  conv.init(rng, nn::Init::pytorch);
  Tensor x = random_tensor({3, r.c, r.h, r.h}, 5);
  const Tensor y = conv.forward(x, nn::Mode::train);
  Tensor g = random_tensor(y.shape(), 6);
  const Tensor dx = conv.backward(g, true);
  Reference ref(x, conv.weight(), conv.bias(), g, 1, same ? 1 : 0, same ? 1 : 0, y.dim(2), y.dim(3));
  EXPECT_TRUE(near(y, ref.y, 1e-4));
  EXPECT_TRUE(near(dx, ref.dx, 1e-4));
  EXPECT_TRUE(near(*conv.params()[0].grad, ref.dw, 1e-4));
}

INSTANTIATE_TEST_SUITE_P(Chapter002, Conv2DRealShapes,
                         ::testing::Values(RealShape{1, 28, 32, "same"}, RealShape{32, 14, 32, "same"},
                                           RealShape{32, 7, 16, "same"}, RealShape{16, 4, 16, "same"},
                                           RealShape{16, 8, 32, "same"}, RealShape{32, 16, 32, "valid"},
                                           RealShape{32, 28, 1, "same"}),
                         [](const auto& info) {
                           const RealShape& r = info.param;
                           return "c" + std::to_string(r.c) + "_h" + std::to_string(r.h) + "_f" +
                                  std::to_string(r.f) + "_" + r.padding;
                         });

TEST(Conv2D, GradientCheck) {
  for (const char* act : {"linear", "tanh", "sigmoid", "leaky_relu"}) {
    auto l = make({{"type", "conv2d"}, {"filters", 3}, {"kernel", 3}, {"stride", 2}, {"padding", "same"},
                   {"activation", act}, {"alpha", 0.2}});
    l->build({2, 6, 6});
    Rng rng(7);
    l->init(rng, nn::Init::pytorch);
    // leaky_relu: a smaller step, so no pre-activation crosses the kink (float sums still
    // resolve it at these magnitudes).
    const GradTolerance tol{std::string(act) == "leaky_relu" ? 1e-3 : 1e-2};
    EXPECT_TRUE(check_layer_gradients(*l, random_tensor({2, 2, 6, 6}, 11), 3, tol)) << act;
  }
}

TEST(Conv2D, GradientCheckValidRectangularKernel) {
  auto l = make({{"type", "conv2d"}, {"filters", 2}, {"kernel", {2, 3}}, {"stride", {1, 2}}, {"padding", "valid"}});
  l->build({3, 5, 7});
  Rng rng(2);
  l->init(rng, nn::Init::keras);
  EXPECT_TRUE(check_layer_gradients(*l, random_tensor({2, 3, 5, 7}, 4), 5));
}

TEST(Conv2D, GradientCheckSameEvenKernel) {
  // 'same' with an even kernel pads asymmetrically (rows 1 on top / 2 below, columns 0 / 1)
  auto l = make({{"type", "conv2d"}, {"filters", 3}, {"kernel", {4, 2}}, {"padding", "same"}, {"activation", "tanh"}});
  EXPECT_EQ(l->build({2, 5, 4}), (Shape{3, 5, 4}));
  Rng rng(3);
  l->init(rng, nn::Init::pytorch);
  EXPECT_TRUE(check_layer_gradients(*l, random_tensor({2, 2, 5, 4}, 8), 9));
}

TEST(Conv2D, SaveLoadRoundTrip) {
  auto l = make({{"type", "conv2d"}, {"filters", 4}, {"kernel", {3, 2}}, {"stride", 2}, {"padding", 1},
                 {"activation", "leaky_relu"}, {"alpha", 0.1}});
  l->build({2, 7, 6});
  Rng rng(1);
  l->init(rng, nn::Init::pytorch);
  EXPECT_TRUE(check_roundtrip(*l, random_tensor({3, 2, 7, 6}, 2)));
}

TEST(Conv2D, SkipsInputGradientWhenNotNeeded) {
  nn::Conv2D conv(4, {3, 3}, {1, 1}, nn::parse_padding({{"padding", "same"}}, false), nn::Act::relu);
  conv.build({1, 8, 8});
  Rng rng(1);
  conv.init(rng, nn::Init::keras);
  Tensor x = random_tensor({2, 1, 8, 8}, 1), dy = random_tensor({2, 4, 8, 8}, 2);
  conv.forward(x, nn::Mode::train);
  conv.backward(dy, true);
  const Tensor dw = *conv.params()[0].grad, db = *conv.params()[1].grad;
  conv.forward(x, nn::Mode::train);
  EXPECT_TRUE(conv.backward(dy, false).empty());
  EXPECT_TRUE(all_close(*conv.params()[0].grad, dw, 0, 0));
  EXPECT_TRUE(all_close(*conv.params()[1].grad, db, 0, 0));
}

TEST(Conv2D, BatchSizesAreIndependent) {
  // One cached plan per batch size: a 1-sample batch must give the first sample's rows of a
  // 2-sample batch, before and after.
  Fixture f("conv2d_same_s2_even");
  auto l = make({{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"stride", 2}, {"padding", "same"},
                 {"activation", "tanh"}});
  l->build({3, 6, 6});
  for (auto& p : l->params()) *p.value = f[p.name];
  Tensor x1({1, 3, 6, 6});
  std::copy(f["x"].data(), f["x"].data() + x1.size(), x1.data());
  const Tensor y2 = l->forward(f["x"], nn::Mode::eval);
  const Tensor y1 = l->forward(x1, nn::Mode::eval);
  const Tensor y2again = l->forward(f["x"], nn::Mode::eval);
  for (int64_t i = 0; i < y1.size(); ++i) EXPECT_EQ(y1[i], y2[i]);
  EXPECT_TRUE(all_close(y2again, y2, 0, 0));
}

TEST(Conv2D, ThreadCountChangeGetsItsOwnPlan) {
  // oneDNN primitives are made for a thread count; set_threads between steps must still work.
  nn::Conv2D conv(16, {3, 3}, {1, 1}, nn::parse_padding({{"padding", "same"}}, false), nn::Act::relu);
  conv.build({8, 6, 6});
  Rng rng(2);
  conv.init(rng, nn::Init::pytorch);
  Tensor x = random_tensor({4, 8, 6, 6}, 3), dy = random_tensor({4, 16, 6, 6}, 4);
  const int saved = kernels::threads();
  const Tensor y = conv.forward(x, nn::Mode::train);
  const Tensor dx = conv.backward(dy, true);
  kernels::set_threads(saved == 1 ? 2 : 1);
  EXPECT_TRUE(all_close(conv.forward(x, nn::Mode::train), y, 1e-5, 1e-6));
  EXPECT_TRUE(all_close(conv.backward(dy, true), dx, 1e-5, 1e-6));
  kernels::set_threads(saved);
}

TEST(Conv2D, OutputShapes) {
  auto shape = [](json cfg, Shape in) {
    cfg["type"] = "conv2d";
    cfg["filters"] = 5;
    return make(cfg)->build(in);
  };
  EXPECT_EQ(shape({{"kernel", 3}, {"padding", "same"}}, {1, 28, 28}), (Shape{5, 28, 28}));
  EXPECT_EQ(shape({{"kernel", 3}, {"padding", "same"}, {"stride", 2}}, {1, 7, 7}), (Shape{5, 4, 4}));
  EXPECT_EQ(shape({{"kernel", 3}, {"padding", "valid"}}, {1, 16, 16}), (Shape{5, 14, 14}));
  EXPECT_EQ(shape({{"kernel", {1, 5}}, {"padding", 2}}, {1, 4, 4}), (Shape{5, 8, 4}));
  // 'same' pads as much as the kernel needs, even past the input's size (as Keras does)
  EXPECT_EQ(shape({{"kernel", 5}, {"padding", "same"}}, {1, 3, 3}), (Shape{5, 3, 3}));
}

TEST(Conv2D, KernelLargerThanInputIsAnError) {
  auto l = make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 5}});
  try {
    l->build({1, 3, 3});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "conv2d: kernel 5x5 larger than input 3x3 with padding valid");
  }
  EXPECT_THROW(make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 6}, {"padding", 1}})->build({1, 3, 3}),
               InputError);
}

TEST(Conv2D, RejectsBadConfigsAndInputs) {
  EXPECT_THROW(make({{"type", "conv2d"}, {"kernel", 3}}), InputError);                       // no filters
  EXPECT_THROW(make({{"type", "conv2d"}, {"filters", 2}}), InputError);                      // no kernel
  EXPECT_THROW(make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 0}}), InputError);
  EXPECT_THROW(make({{"type", "conv2d"}, {"filters", 2}, {"kernel", {3, 3, 3}}}), InputError);
  EXPECT_THROW(make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"padding", "full"}}), InputError);
  EXPECT_THROW(make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"stride", -1}}), InputError);
  try {  // Keras's spelling would otherwise silently mean stride 1
    make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"strides", 2}});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test: unknown key \"strides\" for conv2d (did you mean \"stride\"?)"),
              std::string::npos)
        << e.what();
  }
  try {
    make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}})->build({784});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("conv2d: expects a [channels, height, width] input, got [784]"),
              std::string::npos)
        << e.what();
  }
  auto l = make({{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}});
  l->build({1, 5, 5});
  EXPECT_THROW(l->forward(Tensor({2, 1, 5, 4}), nn::Mode::eval), InputError);
}

}  // namespace
