#include "draw/canvas.h"

#include <gtest/gtest.h>

#include "draw/draw_test_util.h"

namespace aekit::draw {
namespace {

using testing::count_color;
using testing::count_near;
using testing::pixel;
constexpr Color kRed{255, 0, 0};

Image render(Canvas& c) { return std::move(c).finish().to_image(); }

TEST(Canvas, StartsFilledWithBackground) {
  Canvas c(7, 5, Color{1, 2, 3});
  const Image img = render(c);
  ASSERT_EQ(img.width, 7);
  ASSERT_EQ(img.height, 5);
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(count_color(img, Color{1, 2, 3}), 35);
}

TEST(Canvas, CrispLinesCoverExactlyTheirPixels) {
  Canvas c(20, 20);
  c.hline(2, 8, 3, kRed);
  c.vline(15, 10, 14, kRed);
  c.rect(4, 9, 6, 5, kBlack);
  const Image img = render(c);
  EXPECT_EQ(count_color(img, kRed), 7 + 5);
  for (int x = 2; x <= 8; ++x) EXPECT_EQ(pixel(img, x, 3), kRed) << x;
  for (int y = 10; y <= 14; ++y) EXPECT_EQ(pixel(img, 15, y), kRed) << y;
  EXPECT_EQ(count_color(img, kBlack), 2 * 6 + 2 * 3);
  EXPECT_EQ(count_color(img, kWhite), 400 - 12 - 18);  // no blur around any of them
}

TEST(Canvas, DiagonalLineIsAntiAliased) {
  Canvas c(40, 40);
  c.line(5, 5, 35, 35, kRed, 2);
  const Image img = render(c);
  EXPECT_EQ(pixel(img, 20, 20), kRed);  // on the line: full colour
  EXPECT_EQ(pixel(img, 30, 10), kWhite);  // far from it: untouched
  // Edge pixels are blends, between red and white.
  long blended = 0;
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 40; ++x) {
      const Color p = pixel(img, x, y);
      blended += p.r == 255 && p.g > 0 && p.g < 255 && p.g == p.b;
    }
  EXPECT_GT(blended, 30);
}

TEST(Canvas, DiscIsFilledRoundAndSymmetric) {
  Canvas c(21, 21);
  c.disc(10.5, 10.5, 6, kRed);
  const Image img = render(c);
  EXPECT_EQ(pixel(img, 10, 10), kRed);
  EXPECT_EQ(pixel(img, 10, 15), kRed);
  EXPECT_EQ(pixel(img, 10, 18), kWhite);
  EXPECT_EQ(pixel(img, 0, 0), kWhite);
  // Symmetric up to cairo's spline approximation of the circle (a level or two).
  for (int y = 0; y < 21; ++y)
    for (int x = 0; x < 21; ++x) {
      EXPECT_NEAR(pixel(img, x, y).g, pixel(img, 20 - x, y).g, 3) << x << "," << y;
      EXPECT_NEAR(pixel(img, x, y).g, pixel(img, y, x).g, 3) << x << "," << y;
    }
  const long full = count_color(img, kRed);
  EXPECT_GT(full, 80);   // about pi * (6 - 0.71)^2 = 88 pixels lie wholly inside
  EXPECT_LT(full, 114);  // pi * 6^2
}

TEST(Canvas, ClipRectangleLimitsDrawing) {
  Canvas c(30, 30);
  c.set_clip(10, 10, 10, 10);
  c.fill_rect(0, 0, 30, 30, kRed);
  c.reset_clip();
  c.fill_rect(0, 0, 2, 2, kBlack);
  const Image img = render(c);
  EXPECT_EQ(count_color(img, kRed), 100);
  EXPECT_EQ(pixel(img, 10, 10), kRed);
  EXPECT_EQ(pixel(img, 9, 10), kWhite);
  EXPECT_EQ(count_color(img, kBlack), 4);
}

// The bounding box of pixels darker than mid grey.
struct Ink {
  int x0 = 1 << 20, y0 = 1 << 20, x1 = -1, y1 = -1;
};
Ink ink(const Image& img) {
  Ink k;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      if (pixel(img, x, y).r < 128) {
        k.x0 = std::min(k.x0, x), k.x1 = std::max(k.x1, x);
        k.y0 = std::min(k.y0, y), k.y1 = std::max(k.y1, y);
      }
  return k;
}

TEST(Canvas, TextInksInsideItsMeasuredBox) {
  const TextStyle style{10, kBlack};
  const TextBox box = measure_text("Epoch 10", style);
  EXPECT_GT(box.width, 40);
  EXPECT_LT(box.width, 80);
  EXPECT_GT(box.height, 12);  // 10 pt at 100 dpi is 13.9 px
  EXPECT_LT(box.height, 20);
  EXPECT_GT(measure_text("Epoch 100", style).width, box.width);
  EXPECT_GT(measure_text("Epoch 10", TextStyle{20, kBlack}).height, 1.8 * box.height);
  EXPECT_EQ(measure_text("", style).width, 0);

  Canvas c(120, 60);
  c.text(60, 30, "Epoch 10", style, Align::center, Align::center);
  const Image img = render(c);
  const Ink k = ink(img);
  ASSERT_GE(k.x1, 0) << "no text drawn";
  EXPECT_GE(k.x0, 60 - box.width / 2 - 1);
  EXPECT_LE(k.x1, 60 + box.width / 2 + 1);
  EXPECT_GE(k.y0, 30 - box.height / 2 - 1);
  EXPECT_LE(k.y1, 30 + box.height / 2 + 1);
  EXPECT_GT(k.x1 - k.x0, box.width * 0.8);  // spans the box: real glyphs, not a blob or a dot
  Canvas blank(120, 60);
  blank.text(60, 30, "   ", style, Align::center, Align::center);
  EXPECT_EQ(count_color(render(blank), kWhite), 120 * 60);
}

TEST(Canvas, UpwardTextIsTransposed) {
  const TextStyle style{10, kBlack};
  Canvas c(60, 120);
  c.text(5, 60, "validation", style, Align::start, Align::center, true);
  const Ink k = ink(render(c));
  ASSERT_GE(k.x1, 0);
  EXPECT_GT(k.y1 - k.y0, 2 * (k.x1 - k.x0));  // taller than wide
  EXPECT_GE(k.x0, 5);
  EXPECT_NEAR((k.y0 + k.y1) / 2.0, 60, 3);
}

TEST(Canvas, FigureRendersAtAnyScale) {
  Canvas c(30, 20);
  c.fill_rect(10, 5, 10, 10, kRed);
  const Figure f = std::move(c).finish();
  const Image one = f.to_image(), two = f.to_image(2);
  EXPECT_EQ(count_color(one, kRed), 100);
  ASSERT_EQ(two.width, 60);
  ASSERT_EQ(two.height, 40);
  EXPECT_EQ(count_color(two, kRed), 400);
  EXPECT_EQ(pixel(two, 20, 10), kRed);
  EXPECT_EQ(pixel(two, 19, 10), kWhite);
}

}  // namespace
}  // namespace aekit::draw
