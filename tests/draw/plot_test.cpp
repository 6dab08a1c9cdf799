#include "draw/plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "draw/axes.h"
#include "draw/draw_test_util.h"
#include "tensor/error.h"

namespace aekit::draw {
namespace {

using testing::count_color;
using testing::pixel;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The plot area, found independently of the layout code: the frame's edges are the only
// frame-coloured rows and columns longer than a few tick marks.
struct Area {
  int x0 = -1, y0 = -1, x1 = -1, y1 = -1;  // frame lines; the inside is (x0, x1) x (y0, y1)
};

Area find_area(const Image& img) {
  Area a;
  for (int x = 0; x < img.width; ++x) {
    int n = 0;
    for (int y = 0; y < img.height; ++y) n += pixel(img, x, y) == kFrameColor;
    if (n > img.height / 3) {
      if (a.x0 < 0) a.x0 = x;
      a.x1 = x;
    }
  }
  for (int y = 0; y < img.height; ++y) {
    int n = 0;
    for (int x = 0; x < img.width; ++x) n += pixel(img, x, y) == kFrameColor;
    if (n > img.width / 3) {
      if (a.y0 < 0) a.y0 = y;
      a.y1 = y;
    }
  }
  return a;
}

long inside(const Image& img, const Area& a, Color c) {
  return count_color(img, c, a.x0 + 1, a.y0 + 1, a.x1, a.y1);
}

Series ramp(const std::string& name, int n, double slope) {
  Series s{name, {}, {}};
  for (int i = 0; i < n; ++i) {
    s.x.push_back(i);
    s.y.push_back(slope * i);
  }
  return s;
}

TEST(LinePlot, DrawsSeriesInsideThePlotAreaOnly) {
  PlotOptions opt;
  opt.title = "Training loss";
  opt.x_label = "epoch";
  opt.y_label = "loss";
  opt.legend = LegendPlace::None;  // its swatch would count as line pixels below
  const Image img = line_plot({ramp("train", 20, 1.0)}, opt);
  ASSERT_EQ(img.width, 640);
  ASSERT_EQ(img.height, 420);
  ASSERT_EQ(img.channels, 3);
  const Area a = find_area(img);
  ASSERT_GT(a.x0, 20);
  ASSERT_LT(a.x1, 630);
  ASSERT_GT(a.y0, 20);  // room for the title
  ASSERT_GT(a.x1 - a.x0, 400);

  const long in = inside(img, a, kPalette[0]);
  EXPECT_GT(in, 500);
  EXPECT_EQ(count_color(img, kPalette[0]), in);

  // y = x rises: the line's leftmost pixels are lower on screen than its rightmost ones.
  int left_x = img.width, right_x = -1, left_y = 0, right_y = 0;
  for (int y = a.y0 + 1; y < a.y1; ++y)
    for (int x = a.x0 + 1; x < a.x1; ++x)
      if (pixel(img, x, y) == kPalette[0]) {
        if (x < left_x) left_x = x, left_y = y;
        if (x > right_x) right_x = x, right_y = y;
      }
  EXPECT_GT(left_y - right_y, (a.y1 - a.y0) * 3 / 4);
  EXPECT_GT(right_x - left_x, (a.x1 - a.x0) * 3 / 4);

  // With a legend: its swatch adds series pixels, still inside the plot area, and it goes to
  // the empty top-left corner rather than over the line's top-right end.
  opt.legend = LegendPlace::Auto;
  const Image with = line_plot({ramp("train", 20, 1.0)}, opt);
  EXPECT_EQ(find_area(with).x0, a.x0);
  const long in_with = inside(with, a, kPalette[0]);
  EXPECT_GT(in_with, in);
  EXPECT_EQ(count_color(with, kPalette[0]), in_with);
  const int qx = (a.x0 + a.x1) / 2, qy = (a.y0 + a.y1) / 2;
  EXPECT_GT(count_color(with, kPalette[0], a.x0, a.y0, qx, qy),
            count_color(img, kPalette[0], a.x0, a.y0, qx, qy));
  EXPECT_EQ(count_color(with, kPalette[0], qx, a.y0, a.x1, qy),
            count_color(img, kPalette[0], qx, a.y0, a.x1, qy));
}

TEST(LinePlot, IsDeterministic) {
  PlotOptions opt;
  opt.title = "loss";
  const std::vector<Series> s = {ramp("a", 50, 0.3), ramp("b", 50, -0.1)};
  const Image one = line_plot(s, opt), two = line_plot(s, opt);
  EXPECT_EQ(one.pixels, two.pixels);
  EXPECT_EQ(encode_png(one), encode_png(two));
}

TEST(LinePlot, EachSeriesGetsItsOwnColour) {
  const Image img = line_plot({ramp("a", 30, 1), ramp("b", 30, 2), ramp("c", 30, 3)});
  const Area a = find_area(img);
  for (int i = 0; i < 3; ++i) EXPECT_GT(inside(img, a, kPalette[i]), 100) << i;
  EXPECT_EQ(count_color(img, kPalette[3]), 0);
}

TEST(LinePlot, NanPointsAreSkippedAndBreakTheLine) {
  Series s{"", {}, {}};
  for (int i = 0; i < 100; ++i) {
    s.x.push_back(i);
    s.y.push_back(i == 50 ? kNaN : 1.0);
  }
  PlotOptions opt;
  opt.legend = LegendPlace::None;
  const Image img = line_plot({s}, opt);
  const Area a = find_area(img);
  int top = img.height, bottom = -1, first = img.width, last = -1;
  std::vector<bool> col(img.width, false);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      if (pixel(img, x, y) == kPalette[0]) {
        top = std::min(top, y);
        bottom = std::max(bottom, y);
        first = std::min(first, x);
        last = std::max(last, x);
        col[x] = true;
      }
  ASSERT_GE(last, 0);
  EXPECT_LE(bottom - top, 2);  // a flat 2-pixel line: NaN did not pull it anywhere
  EXPECT_GT(top, a.y0);
  int gaps = 0;
  for (int x = first; x <= last; ++x) gaps += !col[x];
  // Two segments (to and from the NaN) are missing: about 2 x 5.9 px less the round caps.
  EXPECT_GT(gaps, 4);
  EXPECT_LT(gaps, 16);

  Series all_nan{"", {1, 2, 3}, {kNaN, kNaN, kNaN}};
  EXPECT_EQ(count_color(line_plot({all_nan}, opt), kPalette[0]), 0);
}

TEST(LinePlot, LogAxisSkipsNonPositiveValues) {
  Series s{"loss", {0, 1, 2, 3, 4, 5}, {1, 0.1, 0.0, 1e-3, -1, 1e-5}};
  PlotOptions opt;
  opt.log_y = true;
  const Image img = line_plot({s}, opt);
  EXPECT_GT(inside(img, find_area(img), kPalette[0]), 20);
}

TEST(LinePlot, BadInputIsRejected) {
  PlotOptions opt;
  opt.x_range = Range{2, 2};
  EXPECT_THROW(line_plot({ramp("a", 5, 1)}, opt), InputError);
  opt.x_range.reset();
  opt.log_y = true;
  opt.y_range = Range{0, 1};
  EXPECT_THROW(line_plot({ramp("a", 5, 1)}, opt), InputError);
  EXPECT_THROW(line_plot({Series{"a", {1, 2}, {1}}}), std::invalid_argument);
}

std::vector<double> xs = {0, 0.1, 1, 1.1, 2, 2.1, 1, 1.05};
std::vector<double> ys = {0, 0.1, 1, 1.1, 0, 0.1, 0.5, 0.55};
std::vector<int> labels = {0, 0, 1, 1, 2, 2, 7, 7};

TEST(ScatterPlot, DrawsEachLabelsColour) {
  PlotOptions opt;
  opt.legend = LegendPlace::None;
  const Image img = scatter_plot(xs, ys, labels, opt);
  const Area a = find_area(img);
  for (int l : {0, 1, 2, 7}) EXPECT_GT(inside(img, a, kPalette[l]), 10) << l;
  for (int l : {3, 4, 5, 6, 8, 9}) EXPECT_EQ(count_color(img, kPalette[l]), 0) << l;
}

TEST(ScatterPlot, LegendSitsOutsideThePlotArea) {
  const Image img = scatter_plot(xs, ys, labels);
  const Area a = find_area(img);
  for (int l : {0, 1, 2, 7})
    EXPECT_GT(count_color(img, kPalette[l], a.x1 + 1, 0, img.width, img.height), 5) << l;
}

TEST(ScatterPlot, ZoomDropsPointsOutsideTheRange) {
  PlotOptions opt;
  opt.legend = LegendPlace::None;
  opt.x_range = Range{-0.5, 1.5};
  const Image img = scatter_plot(xs, ys, labels, opt);
  EXPECT_GT(count_color(img, kPalette[1]), 10);
  EXPECT_EQ(count_color(img, kPalette[2]), 0);
}

TEST(ScatterPlot, UnlabelledPointsUseFirstColour) {
  const Image img = scatter_plot(xs, ys, {});
  EXPECT_GT(count_color(img, kPalette[0]), 30);
  EXPECT_EQ(count_color(img, kPalette[1]), 0);
}

TEST(ScatterPlot, CircleOverlayIsRoundWithEqualAspect) {
  PlotOptions opt;
  opt.legend = LegendPlace::None;
  EXPECT_EQ(count_color(scatter_plot(xs, ys, labels, opt), kBlack), 0);

  opt.circle = CircleOverlay{0, 0, 1, "1 std"};
  opt.equal_aspect = true;
  const Image img = scatter_plot({0.2, -0.3}, {0.1, 0.4}, {}, opt);
  const Area a = find_area(img);
  // The anti-aliased ring's dark pixels inside the plot area (the text is all outside it).
  int x0 = img.width, x1 = -1, y0 = img.height, y1 = -1;
  for (int y = a.y0 + 1; y < a.y1; ++y)
    for (int x = a.x0 + 1; x < a.x1; ++x)
      if (pixel(img, x, y).r < 100 && pixel(img, x, y).b < 100) {
        x0 = std::min(x0, x), x1 = std::max(x1, x);
        y0 = std::min(y0, y), y1 = std::max(y1, y);
      }
  ASSERT_GE(x1, 0);
  EXPECT_GT(y1 - y0, 100);
  EXPECT_NEAR(x1 - x0, y1 - y0, 2);
  EXPECT_GT(count_color(img, kBlack), 50);  // the ring's core is drawn in full black
}

TEST(ScatterPlot, MismatchedSizesAreRejected) {
  EXPECT_THROW(scatter_plot({1, 2}, {1}, {}), std::invalid_argument);
  EXPECT_THROW(scatter_plot({1, 2}, {1, 2}, {1}), std::invalid_argument);
}

TEST(Histogram, BarsFollowTheValues) {
  std::vector<double> v;
  for (int i = 0; i < 200; ++i) v.push_back(i / 200.0);  // all in [0, 1)
  v.push_back(kNaN);
  PlotOptions opt;
  opt.x_range = Range{0, 2};
  const Image img = histogram(v, 10, opt);
  const Area a = find_area(img);
  const int mid = (a.x0 + a.x1) / 2;
  EXPECT_GT(count_color(img, kPalette[0], a.x0 + 1, a.y0 + 1, mid - 2, a.y1), 1000);
  EXPECT_EQ(count_color(img, kPalette[0], mid + 2, 0, img.width, img.height), 0);
  // Equal counts: equally tall bars, reaching close to the top (5% headroom).
  int top = img.height;
  for (int y = 0; y < img.height; ++y)
    if (pixel(img, a.x0 + 5, y) == kPalette[0]) top = std::min(top, y);
  EXPECT_LT(top - a.y0, (a.y1 - a.y0) / 10);
  EXPECT_THROW(histogram(v, 0), std::invalid_argument);
}

}  // namespace
}  // namespace aekit::draw
