#include "data/image_resize.h"

#include <gtest/gtest.h>

#include <cmath>

#include "image_test_util.h"

namespace aekit::data {
namespace {
using namespace datatest;

RawImage grey(int w, int h, const std::vector<uint8_t>& v) { return RawImage{w, h, 1, v}; }

RawImage random_grey(int w, int h, uint32_t seed) {
  RawImage img{w, h, 1, std::vector<uint8_t>(static_cast<size_t>(w) * h)};
  for (auto& p : img.pixels) seed = seed * 1664525u + 1013904223u, p = static_cast<uint8_t>(seed >> 24);
  return img;
}

// Reference area filter computed differently from the code under test: replicate every source
// pixel k x k (k = output size, so the grid is a common multiple) and average the blocks that
// fall in each output pixel, in double precision.
std::vector<double> box_reference(const RawImage& src, int oh, int ow) {
  const int fy = oh, fx = ow;  // replication factors
  const int by = src.height, bx = src.width;  // block sizes on the fine grid
  std::vector<double> out(static_cast<size_t>(oh) * ow, 0.0);
  for (int Y = 0; Y < src.height * fy; ++Y)
    for (int X = 0; X < src.width * fx; ++X)
      out[(Y / by) * ow + X / bx] += src.pixels[(Y / fy) * src.width + X / fx];
  for (double& v : out) v /= static_cast<double>(by) * bx;
  return out;
}

TEST(ImageResize, ShrinkingIsAnExactAreaAverage) {
  for (auto [w, h, ow, oh] : {std::array{8, 8, 4, 4}, {7, 5, 3, 2}, {64, 48, 13, 11}, {10, 6, 10, 3}}) {
    const RawImage src = random_grey(w, h, static_cast<uint32_t>(w * 131 + h));
    const RawImage got = resize_image(src, oh, ow, ResizePolicy::stretch);
    const auto ref = box_reference(src, oh, ow);
    ASSERT_EQ(got.pixels.size(), ref.size());
    for (size_t i = 0; i < ref.size(); ++i)
      EXPECT_NEAR(got.pixels[i], ref[i], 0.5 + 1e-3) << w << "x" << h << " -> " << ow << "x" << oh << " at " << i;
  }
}

TEST(ImageResize, EnlargingIsBilinearWithAlignedPixelCentres) {
  // 2 -> 4 pixels: output centres at source x = -0.25, 0.25, 0.75, 1.25 (clamped at the edges).
  const RawImage got = resize_image(grey(2, 1, {0, 200}), 1, 4, ResizePolicy::stretch);
  EXPECT_EQ(got.pixels, (std::vector<uint8_t>{0, 50, 150, 200}));
  // A linear ramp stays linear in the interior at any enlargement.
  std::vector<uint8_t> ramp(10);
  for (int i = 0; i < 10; ++i) ramp[i] = static_cast<uint8_t>(i * 20);
  const RawImage big = resize_image(grey(10, 1, ramp), 1, 37, ResizePolicy::stretch);
  for (int o = 3; o < 34; ++o) {
    const double x = (o + 0.5) * 10.0 / 37.0 - 0.5;
    EXPECT_NEAR(big.pixels[o], 20 * x, 0.51) << o;
  }
}

TEST(ImageResize, FitCropKeepsTheCentreAtScaleOne) {
  // 8 wide x 4 high into 4x4: the scale is 1, so the result is columns 2..5 unchanged.
  const RawImage src = random_grey(8, 4, 7);
  const RawImage got = resize_image(src, 4, 4, ResizePolicy::fit_crop);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) EXPECT_EQ(got.pixels[y * 4 + x], src.pixels[y * 8 + x + 2]) << x << "," << y;
}

TEST(ImageResize, PadFitsInsideAndFillsWithTheBackground) {
  // 8 wide x 4 high into 4x4: scale 0.5 -> a 4x2 block (2x2 averages) in rows 1-2.
  const RawImage src = random_grey(8, 4, 9);
  const RawImage got = resize_image(src, 4, 4, ResizePolicy::pad, {17, 17, 17});
  for (int x = 0; x < 4; ++x) {
    EXPECT_EQ(got.pixels[x], 17);
    EXPECT_EQ(got.pixels[12 + x], 17);
    for (int y = 0; y < 2; ++y) {
      const double mean = (src.pixels[(2 * y) * 8 + 2 * x] + src.pixels[(2 * y) * 8 + 2 * x + 1] +
                           src.pixels[(2 * y + 1) * 8 + 2 * x] + src.pixels[(2 * y + 1) * 8 + 2 * x + 1]) / 4.0;
      EXPECT_NEAR(got.pixels[(y + 1) * 4 + x], mean, 0.501);
    }
  }
}

TEST(ImageResize, ColourChannelsAreFilteredSeparately) {
  const auto rgb = pattern_rgb(6, 6, 4);
  const RawImage got = resize_image(RawImage{6, 6, 3, rgb}, 3, 3, ResizePolicy::stretch);
  for (int c = 0; c < 3; ++c) {
    RawImage plane{6, 6, 1, {}};
    for (int i = 0; i < 36; ++i) plane.pixels.push_back(rgb[i * 3 + c]);
    const auto ref = box_reference(plane, 3, 3);
    for (int i = 0; i < 9; ++i) EXPECT_NEAR(got.pixels[i * 3 + c], ref[i], 0.501) << c << " " << i;
  }
}

TEST(ImageResize, PolicyNames) {
  EXPECT_EQ(parse_resize_policy("fit-crop"), ResizePolicy::fit_crop);
  EXPECT_EQ(parse_resize_policy("pad"), ResizePolicy::pad);
  EXPECT_EQ(resize_policy_name(ResizePolicy::stretch), "stretch");
  expect_input_error([] { parse_resize_policy("crop"); }, {"crop", "fit-crop, stretch, pad"});
}

}  // namespace
}  // namespace aekit::data
