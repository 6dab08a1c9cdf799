#include "draw/canvas.h"

#include <gtest/gtest.h>

#include <climits>

#include "draw/draw_test_util.h"

namespace aekit::draw {
namespace {

using testing::count_color;
constexpr Color kRed{255, 0, 0};

TEST(Canvas, StartsFilledWithBackground) {
  Canvas c(7, 5, Color{1, 2, 3});
  EXPECT_EQ(c.image().channels, 3);
  EXPECT_EQ(count_color(c.image(), Color{1, 2, 3}), 35);
}

TEST(Canvas, ZeroTextSetsPixelsInsideItsBoxSpaceSetsNone) {
  Canvas c(40, 30);
  c.text(10, 10, " ", kBlack);
  EXPECT_EQ(count_color(c.image(), kBlack), 0);

  c.text(10, 10, "0", kBlack);
  const long inside = count_color(c.image(), kBlack, 10, 10, 10 + Canvas::text_width("0"),
                                  10 + Canvas::text_height("0"));
  EXPECT_GT(inside, 10);
  EXPECT_EQ(count_color(c.image(), kBlack), inside);  // nothing outside the box

  Canvas big(40, 30);
  big.text(0, 0, "0", kBlack, 3);
  EXPECT_EQ(count_color(big.image(), kBlack), inside * 9);
}

TEST(Canvas, TextMetrics) {
  EXPECT_EQ(Canvas::text_width("ab"), 11);
  EXPECT_EQ(Canvas::text_width("ab", 2), 22);
  EXPECT_EQ(Canvas::text_height("ab"), 7);
  EXPECT_EQ(Canvas::text_width("abc\nd"), 17);
  EXPECT_EQ(Canvas::text_height("x\ny", 2), 32);
  EXPECT_EQ(Canvas::text_width(""), 0);
}

TEST(Canvas, DistinctGlyphsDiffer) {
  // Guards the hand-made font table against copy-paste rows.
  auto render = [](char ch) {
    Canvas c(6, 8);
    c.text(0, 0, std::string(1, ch), kBlack);
    return c.image().pixels;
  };
  for (int a = 33; a <= 126; ++a)
    for (int b = a + 1; b <= 126; ++b)
      EXPECT_NE(render(char(a)), render(char(b))) << char(a) << " vs " << char(b);
}

TEST(Canvas, TextUpIsTransposedBox) {
  Canvas c(30, 40);
  c.text_up(5, 5, "Ab", kBlack);
  const int w = Canvas::text_width("Ab"), h = Canvas::text_height("Ab");
  const long inside = count_color(c.image(), kBlack, 5, 5, 5 + h, 5 + w);
  EXPECT_GT(inside, 10);
  EXPECT_EQ(count_color(c.image(), kBlack), inside);
}

TEST(Canvas, TextIsClippedAtEdges) {
  Canvas c(10, 10);
  c.text(-4, -4, "W8", kBlack, 2);
  c.text(7, 7, "W8", kBlack, 2);
  EXPECT_GT(count_color(c.image(), kBlack), 0);
}

TEST(Canvas, FillRectIsClipped) {
  Canvas c(10, 10);
  c.fill_rect(-5, -5, 10, 10, kRed);
  EXPECT_EQ(count_color(c.image(), kRed), 25);
  EXPECT_EQ(count_color(c.image(), kRed, 0, 0, 5, 5), 25);
  c.fill_rect(INT_MIN / 2, 8, INT_MAX, 100, kBlack);
  EXPECT_EQ(count_color(c.image(), kBlack), 20);
}

TEST(Canvas, ClipRectangleLimitsDrawing) {
  Canvas c(20, 20);
  c.set_clip(5, 5, 4, 3);
  c.fill_rect(0, 0, 20, 20, kRed);
  EXPECT_EQ(count_color(c.image(), kRed), 12);
  EXPECT_EQ(count_color(c.image(), kRed, 5, 5, 9, 8), 12);
  c.reset_clip();
  c.set(0, 0, kBlack);
  EXPECT_EQ(c.get(0, 0), kBlack);
}

TEST(Canvas, HorizontalAndDiagonalLines) {
  Canvas c(20, 20);
  c.line(2, 3, 12, 3, kRed);
  EXPECT_EQ(count_color(c.image(), kRed), 11);
  EXPECT_EQ(count_color(c.image(), kRed, 2, 3, 13, 4), 11);

  Canvas d(20, 20);
  d.line(15, 15, 0, 0, kRed);
  EXPECT_EQ(count_color(d.image(), kRed), 16);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(d.get(i, i), kRed);

  Canvas t(20, 20);
  t.line(2, 10, 17, 10, kRed, 3);  // the 3x3 brush reaches one pixel past each end
  EXPECT_EQ(count_color(t.image(), kRed), 18 * 3);
  EXPECT_EQ(count_color(t.image(), kRed, 1, 9, 19, 12), 18 * 3);
}

TEST(Canvas, FarOffLineIsClippedNotWalked) {
  Canvas c(50, 50);
  // A line crossing the canvas between points a billion pixels away: visible part only.
  c.line(-1'000'000'000, 25, 1'000'000'000, 25, kRed);
  EXPECT_EQ(count_color(c.image(), kRed), 50);
  c.line(-1'000'000'000, -1'000'000'000, -5, -5, kBlack);
  EXPECT_EQ(count_color(c.image(), kBlack), 0);
}

TEST(Canvas, DiscIsFilledAndSymmetric) {
  Canvas c(21, 21);
  c.disc(10, 10, 4, kRed);
  EXPECT_EQ(c.get(10, 10), kRed);
  EXPECT_EQ(c.get(14, 10), kRed);
  EXPECT_EQ(c.get(6, 10), kRed);
  EXPECT_EQ(c.get(10, 14), kRed);
  EXPECT_NE(c.get(15, 10), kRed);
  EXPECT_NE(c.get(14, 14), kRed);
  for (int y = 0; y < 21; ++y)
    for (int x = 0; x < 21; ++x) {
      EXPECT_EQ(c.get(x, y), c.get(20 - x, y));
      EXPECT_EQ(c.get(x, y), c.get(y, x));
    }
  Canvas one(5, 5);
  one.disc(2, 2, 0, kRed);
  EXPECT_EQ(count_color(one.image(), kRed), 1);
}

TEST(Canvas, CircleOutlineHitsItsRadius) {
  Canvas c(31, 31);
  c.circle(15, 15, 10, kRed);
  EXPECT_EQ(c.get(25, 15), kRed);
  EXPECT_EQ(c.get(5, 15), kRed);
  EXPECT_EQ(c.get(15, 25), kRed);
  EXPECT_EQ(c.get(15, 15), kWhite);
  EXPECT_EQ(c.get(20, 15), kWhite);
}

TEST(Canvas, BlitScalesGreyPixels) {
  Image g = make_image(2, 1, 1);
  g.pixels = {0, 200};
  Canvas c(10, 10);
  c.blit(g, 3, 4, 2);
  EXPECT_EQ(count_color(c.image(), kBlack, 3, 4, 5, 6), 4);
  EXPECT_EQ(count_color(c.image(), Color{200, 200, 200}, 5, 4, 7, 6), 4);
  EXPECT_EQ(count_color(c.image(), kWhite), 100 - 8);
}

}  // namespace
}  // namespace aekit::draw
