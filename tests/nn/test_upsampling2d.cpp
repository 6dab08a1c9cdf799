#include <gtest/gtest.h>

#include "nn/registry.h"
#include "nn/upsampling2d.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/roundtrip.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

nn::LayerPtr make(json cfg) {
  cfg["type"] = "upsampling2d";
  return nn::make_layer(cfg, "test");
}

TEST(UpSampling2D, MatchesPyTorch) {
  for (auto [name, size] : {std::pair{"upsampling2d_2", json(2)}, std::pair{"upsampling2d_2_wide", json(2)},
                            std::pair{"upsampling2d_2_odd", json(2)}, std::pair{"upsampling2d_2x3", json{2, 3}}}) {
    Fixture f(name);
    auto l = make({{"size", size}});
    l->build(Shape(f["x"].shape().begin() + 1, f["x"].shape().end()));
    const Tensor& y = l->forward(f["x"], nn::Mode::train);
    EXPECT_EQ(y.shape(), f["y"].shape()) << name;
    EXPECT_TRUE(all_close(y, f["y"], 0, 0)) << name;
    EXPECT_TRUE(all_close(l->backward(f["dy"], true), f["dx"], 1e-6, 1e-7)) << name;
  }
}

TEST(UpSampling2D, GradientCheck) {
  auto l = make({{"size", {3, 2}}});
  l->build({2, 3, 2});
  EXPECT_TRUE(check_layer_gradients(*l, random_tensor({2, 2, 3, 2}, 5), 1));
}

TEST(UpSampling2D, SaveLoadRoundTripAndDefaultSize) {
  auto l = make({});
  EXPECT_EQ(l->build({16, 4, 4}), (Shape{16, 8, 8}));
  EXPECT_TRUE(check_roundtrip(*l, random_tensor({2, 16, 4, 4}, 1)));
}

TEST(UpSampling2D, RejectsBadConfigsAndInputs) {
  EXPECT_THROW(make({{"size", 0}}), InputError);
  EXPECT_THROW(make({{"size", "big"}}), InputError);
  EXPECT_THROW(make({{"interpolation", "bilinear"}}), InputError);
  try {
    make({})->build({16});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("upsampling2d: expects a [channels, height, width] input"),
              std::string::npos);
  }
}

}  // namespace
