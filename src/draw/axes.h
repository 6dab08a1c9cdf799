// Shared machinery of the plots in plot.h: choosing the plot area and ticks, mapping data to
// pixels, drawing grid, frame, labels and legend. Not meant for use outside src/draw.
//
// The look follows Matplotlib's defaults: 10 pt labels and tick numbers, a 12 pt title, the
// tab10 colours, outward ticks, plus a light grid behind the data.
#pragma once
#include <string>
#include <vector>

#include "draw/canvas.h"
#include "draw/plot.h"
#include "draw/ticks.h"

namespace aekit::draw {

// Categorical colours (matplotlib's tab10), distinguishable from each other and from grey.
inline constexpr Color kPalette[10] = {
    {31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
    {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
inline constexpr Color kGridColor{230, 230, 230};
inline constexpr Color kFrameColor{51, 51, 51};
inline constexpr double kLineWidth = 2.0;  // data lines, px (Matplotlib's 1.5 pt at 100 dpi)

struct Axes {
  int x0 = 0, y0 = 0, w = 0, h = 0;  // plot area in pixels; the frame is its outermost pixels
  double xlo = 0, xhi = 1;           // x limits
  double ylo = 0, yhi = 1;           // y limits, in log10 units when log_y
  bool log_y = false;
  Ticks xt, yt;

  // Data -> canvas coordinates (fractional; may lie far outside the plot area): xlo maps to
  // the centre of the left frame column, xhi to the right one's. py of an unusable y
  // (non-positive on a log axis) is NaN.
  double px(double x) const;
  double py(double y) const;
  bool usable(double x, double y) const;  // finite, and y > 0 on a log axis
};

// Axis limits from options or data: a fixed range is checked (InputError if empty or, for log,
// not positive) and used as is; otherwise [dmin, dmax] (NaN: no data) is widened when empty and
// padded by pad_frac of its span on each side. With log the result is in log10 units.
Range resolve_range(const std::optional<Range>& fixed, double dmin, double dmax, double pad_frac,
                    bool log, const char* axis);

// Lays out the plot area for opt's size and texts, leaving right_reserve pixels free on the
// right (for an outside legend), and picks ticks that fit. y limits as from resolve_range.
Axes make_axes(const PlotOptions& opt, Range x, Range y, double right_reserve, bool integer_y);

void draw_grid(Canvas& c, const Axes& a);  // background grid lines, drawn before the data
// Frame, ticks, tick labels, axis labels and title, drawn after the data.
void draw_frame(Canvas& c, const Axes& a, const PlotOptions& opt);

// Clips drawing to the plot area until Canvas::reset_clip().
void clip_to_area(Canvas& c, const Axes& a);

struct LegendEntry {
  std::string text;
  Color color;
  bool marker;  // a dot; otherwise a line swatch
};

double legend_width(const std::vector<LegendEntry>& entries);
// Inside: the plot-area corner whose box covers the fewest of `drawn` (canvas positions of
// data points and of samples along lines); outside: right of the plot area. Entries that do
// not fit vertically are summarised as "+N more".
void draw_legend(Canvas& c, const Axes& a, const std::vector<LegendEntry>& entries, bool outside,
                 const std::vector<Point>& drawn);

}  // namespace aekit::draw
