#include "draw/axes.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tensor/error.h"

namespace aekit::draw {

namespace {

// Matplotlib's defaults, in points, turned to pixels at kDpi.
const TextStyle kTickStyle{10};
const TextStyle kLabelStyle{10};
const TextStyle kTitleStyle{12};
const TextStyle kLegendStyle{10};
const double kTick = std::round(pt_to_px(3.5));  // tick length
const double kTickPad = pt_to_px(3.5);          // tick to its label
const double kLabelPad = pt_to_px(4);           // tick labels to the axis label
const double kTitlePad = pt_to_px(6);           // title to the plot area
constexpr double kMargin = 8;                   // around the figure's edge

// Legend geometry in units of the legend font's size (Matplotlib's borderpad, labelspacing,
// handlelength, handletextpad).
const double kEm = pt_to_px(10);
const double kLegendPad = 0.4 * kEm, kRowGap = 0.5 * kEm, kSwatch = 2.0 * kEm, kSwatchGap = 0.8 * kEm;
const Color kLegendEdge{204, 204, 204};

double row_height() { return measure_text("0", kLegendStyle).height; }

}  // namespace

double Axes::px(double x) const { return x0 + 0.5 + (x - xlo) / (xhi - xlo) * (w - 1); }

double Axes::py(double y) const {
  if (log_y) {
    if (!(y > 0)) return std::nan("");
    y = std::log10(y);
  }
  return y0 + 0.5 + (h - 1) - (y - ylo) / (yhi - ylo) * (h - 1);
}

bool Axes::usable(double x, double y) const {
  return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0);
}

Range resolve_range(const std::optional<Range>& fixed, double dmin, double dmax, double pad_frac,
                    bool log, const char* axis) {
  if (fixed) {
    require(std::isfinite(fixed->lo) && std::isfinite(fixed->hi) && fixed->lo < fixed->hi,
            std::string("plot: ") + axis + " range needs finite limits with low < high");
    require(!log || fixed->lo > 0,
            std::string("plot: ") + axis + " range of a log axis must be positive");
    return log ? Range{std::log10(fixed->lo), std::log10(fixed->hi)} : *fixed;
  }
  if (std::isnan(dmin) || std::isnan(dmax)) return Range{0, 1};
  double lo = log ? std::log10(dmin) : dmin, hi = log ? std::log10(dmax) : dmax;
  if (hi - lo <= std::abs(lo) * 1e-12) {  // one value (or nearly): show a band around it
    const double d = log ? std::log10(2.0) : (lo == 0 ? 0.5 : std::abs(lo) * 0.1);
    lo -= d;
    hi += d;
  } else {
    const double pad = (hi - lo) * pad_frac;
    lo -= pad;
    hi += pad;
  }
  return {lo, hi};
}

Axes make_axes(const PlotOptions& opt, Range x, Range y, double right_reserve, bool integer_y) {
  if (opt.width < 160 || opt.height < 120)
    throw std::invalid_argument("plot: size must be at least 160x120, got " +
                                std::to_string(opt.width) + "x" + std::to_string(opt.height));
  Axes a;
  a.xlo = x.lo;
  a.xhi = x.hi;
  a.ylo = y.lo;
  a.yhi = y.hi;
  a.log_y = opt.log_y;

  const double tick_h = measure_text("0", kTickStyle).height;
  const double label_h = measure_text("Ag", kLabelStyle).height;
  // Without a title, half a tick label of room so the top tick's number is not cut.
  const double top = opt.title.empty() ? kMargin + tick_h / 2
                                       : kMargin + measure_text(opt.title, kTitleStyle).height + kTitlePad;
  const double bottom =
      kTick + kTickPad + tick_h + (opt.x_label.empty() ? 0 : kLabelPad + label_h) + kMargin;
  a.y0 = static_cast<int>(std::round(top));
  a.h = static_cast<int>(opt.height - a.y0 - std::round(bottom));

  const int max_y_ticks = std::max(2, a.h / 50);
  a.yt = a.log_y ? log_ticks(std::pow(10.0, a.ylo), std::pow(10.0, a.yhi), max_y_ticks)
                 : linear_ticks(a.ylo, a.yhi, max_y_ticks, integer_y);
  double label_w = 0;
  for (const auto& s : a.yt.labels) label_w = std::max(label_w, measure_text(s, kTickStyle).width);
  const double left =
      kMargin + (opt.y_label.empty() ? 0 : label_h + kLabelPad) + label_w + kTickPad + kTick;
  a.x0 = static_cast<int>(std::round(left));
  // On the right, room for half the last x tick label.
  const double right = kMargin + measure_text("000", kTickStyle).width / 2 + right_reserve;
  a.w = static_cast<int>(opt.width - a.x0 - std::round(right));
  if (a.w < 40 || a.h < 40)
    throw std::invalid_argument("plot: " + std::to_string(opt.width) + "x" +
                                std::to_string(opt.height) + " leaves no room for the plot area");

  // As many x ticks as fit with their labels side by side and a clear gap between them.
  for (int n = std::max(2, a.w / 60);; --n) {
    a.xt = linear_ticks(a.xlo, a.xhi, n, opt.integer_x);
    double widest = 0;
    for (const auto& s : a.xt.labels) widest = std::max(widest, measure_text(s, kTickStyle).width);
    if (n <= 2 || static_cast<double>(a.xt.values.size()) * (widest + 2 * kEm) <= a.w) break;
  }
  return a;
}

namespace {
int pixel_of(double v) { return static_cast<int>(std::floor(v)); }
}  // namespace

void draw_grid(Canvas& c, const Axes& a) {
  for (double v : a.xt.values) c.vline(pixel_of(a.px(v)), a.y0, a.y0 + a.h - 1, kGridColor);
  for (double v : a.yt.values) c.hline(a.x0, a.x0 + a.w - 1, pixel_of(a.py(v)), kGridColor);
}

void clip_to_area(Canvas& c, const Axes& a) { c.set_clip(a.x0, a.y0, a.w, a.h); }

void draw_frame(Canvas& c, const Axes& a, const PlotOptions& opt) {
  c.reset_clip();
  c.rect(a.x0, a.y0, a.w, a.h, kFrameColor);
  const int tick = static_cast<int>(kTick);
  const double below = a.y0 + a.h + kTick + kTickPad;
  for (size_t i = 0; i < a.xt.values.size(); ++i) {
    const int x = pixel_of(a.px(a.xt.values[i]));
    c.vline(x, a.y0 + a.h, a.y0 + a.h + tick - 1, kFrameColor);
    c.text(x + 0.5, below, a.xt.labels[i], kTickStyle, Align::center, Align::start);
  }
  for (size_t i = 0; i < a.yt.values.size(); ++i) {
    const int y = pixel_of(a.py(a.yt.values[i]));
    c.hline(a.x0 - tick, a.x0 - 1, y, kFrameColor);
    c.text(a.x0 - kTick - kTickPad, y + 0.5, a.yt.labels[i], kTickStyle, Align::end, Align::center);
  }
  if (!opt.x_label.empty()) {
    const double tick_h = measure_text("0", kTickStyle).height;
    c.text(a.x0 + a.w / 2.0, below + tick_h + kLabelPad, opt.x_label, kLabelStyle, Align::center,
           Align::start);
  }
  if (!opt.y_label.empty())
    c.text(kMargin, a.y0 + a.h / 2.0, opt.y_label, kLabelStyle, Align::start, Align::center, true);
  if (!opt.title.empty()) {
    // Centred over the plot area when it fits there, else over the figure, else smaller.
    TextStyle style = kTitleStyle;
    double tw = measure_text(opt.title, style).width;
    if (tw > c.width() - 2 * kMargin) {
      style.size_pt = 10;
      tw = measure_text(opt.title, style).width;
    }
    double cx = a.x0 + a.w / 2.0;
    if (cx - tw / 2 < kMargin || cx + tw / 2 > c.width() - kMargin) cx = c.width() / 2.0;
    c.text(cx, kMargin, opt.title, style, Align::center, Align::start);
  }
}

double legend_width(const std::vector<LegendEntry>& entries) {
  double text_w = measure_text("+999 more", kLegendStyle).width;
  for (const auto& e : entries) text_w = std::max(text_w, measure_text(e.text, kLegendStyle).width);
  return std::ceil(2 * kLegendPad + kSwatch + kSwatchGap + text_w);
}

void draw_legend(Canvas& c, const Axes& a, const std::vector<LegendEntry>& entries, bool outside,
                 const std::vector<Point>& drawn) {
  if (entries.empty()) return;
  const double rh = row_height();
  const int max_rows = std::max(1, static_cast<int>((a.h - 2 * kLegendPad - 8 + kRowGap) / (rh + kRowGap)));
  const int rows = std::min<int>(static_cast<int>(entries.size()), max_rows);
  const bool truncated = rows < static_cast<int>(entries.size());
  const double lw = legend_width(entries);
  const double lh = std::ceil(2 * kLegendPad + rows * rh + (rows - 1) * kRowGap);

  double lx, ly;
  if (outside) {
    lx = a.x0 + a.w + kMargin;
    ly = a.y0;
  } else {
    // Candidates in order of preference (Matplotlib's "best"): the first covering the fewest
    // drawn points wins.
    const double inset = 0.5 * kEm;
    const double cand[4][2] = {{a.x0 + a.w - inset - lw, a.y0 + inset},
                               {a.x0 + inset, a.y0 + inset},
                               {a.x0 + a.w - inset - lw, a.y0 + a.h - inset - lh},
                               {a.x0 + inset, a.y0 + a.h - inset - lh}};
    long best = -1;
    lx = cand[0][0];
    ly = cand[0][1];
    for (const auto& cd : cand) {
      long covered = 0;
      for (const Point& p : drawn)
        covered += p.x >= cd[0] - 3 && p.x <= cd[0] + lw + 3 && p.y >= cd[1] - 3 && p.y <= cd[1] + lh + 3;
      if (best < 0 || covered < best) {
        best = covered;
        lx = cd[0];
        ly = cd[1];
      }
    }
  }
  lx = std::round(lx);
  ly = std::round(ly);
  c.box(lx, ly, lw, lh, 3, kWhite, outside ? 1.0 : 0.8, kLegendEdge);
  for (int r = 0; r < rows; ++r) {
    const double mid = ly + kLegendPad + r * (rh + kRowGap) + rh / 2;
    const double sx = lx + kLegendPad, tx = sx + kSwatch + kSwatchGap;
    if (truncated && r == rows - 1) {
      c.text(tx, mid, "+" + std::to_string(entries.size() - rows + 1) + " more", kLegendStyle,
             Align::start, Align::center);
      break;
    }
    const LegendEntry& e = entries[r];
    if (e.marker)
      c.disc(sx + kSwatch / 2, mid, 3.5, e.color);
    else
      c.line(sx, mid, sx + kSwatch, mid, e.color, kLineWidth);
    c.text(tx, mid, e.text, kLegendStyle, Align::start, Align::center);
  }
}

}  // namespace aekit::draw
