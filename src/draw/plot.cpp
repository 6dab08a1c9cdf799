#include "draw/plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <stdexcept>

#include "draw/axes.h"

namespace aekit::draw {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct MinMax {
  double lo = kNaN, hi = kNaN;
  void add(double v) {
    if (std::isnan(lo) || v < lo) lo = v;
    if (std::isnan(hi) || v > hi) hi = v;
  }
};

}  // namespace

Image line_plot(const std::vector<Series>& series, const PlotOptions& opt) {
  MinMax mx, my;
  for (const auto& s : series) {
    if (s.x.size() != s.y.size())
      throw std::invalid_argument("line_plot: series '" + s.name + "' has " +
                                  std::to_string(s.x.size()) + " x values but " +
                                  std::to_string(s.y.size()) + " y values");
    for (size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && (!opt.log_y || s.y[i] > 0)) {
        mx.add(s.x[i]);
        my.add(s.y[i]);
      }
  }
  std::vector<LegendEntry> legend;
  for (size_t i = 0; i < series.size(); ++i)
    if (!series[i].name.empty()) legend.push_back({series[i].name, kPalette[i % 10], false});
  const bool show_legend = opt.legend != LegendPlace::None && !legend.empty();
  const bool outside = show_legend && opt.legend == LegendPlace::Outside;

  const Range xr = resolve_range(opt.x_range, mx.lo, mx.hi, 0.03, false, "x");
  const Range yr = resolve_range(opt.y_range, my.lo, my.hi, 0.05, opt.log_y, "y");
  Canvas c(opt.width, opt.height);
  const Axes a = make_axes(opt, xr, yr, outside ? legend_width(legend) + 10 : 0, false);
  draw_grid(c, a);

  for (size_t si = 0; si < series.size(); ++si) {
    const Series& s = series[si];
    const Color col = kPalette[si % 10];
    size_t finite = 0;
    for (size_t i = 0; i < s.x.size(); ++i) finite += a.usable(s.x[i], s.y[i]);
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!a.usable(s.x[i], s.y[i])) continue;
      const double px = a.px(s.x[i]), py = a.py(s.y[i]);
      const bool prev = i > 0 && a.usable(s.x[i - 1], s.y[i - 1]);
      const bool next = i + 1 < s.x.size() && a.usable(s.x[i + 1], s.y[i + 1]);
      if (prev) plot_segment(c, a, a.px(s.x[i - 1]), a.py(s.y[i - 1]), px, py, col, 2);
      // Dots for short series, and for any point with no line through it (else invisible).
      if (finite <= 40 || (!prev && !next)) plot_point(c, a, px, py, 2, col);
    }
  }
  if (show_legend) draw_legend(c, a, legend, outside);
  draw_frame(c, a, opt);
  return std::move(c).take();
}

Image scatter_plot(const std::vector<double>& x, const std::vector<double>& y,
                   const std::vector<int>& labels, const PlotOptions& opt) {
  if (x.size() != y.size() || (!labels.empty() && labels.size() != x.size()))
    throw std::invalid_argument("scatter_plot: " + std::to_string(x.size()) + " x, " +
                                std::to_string(y.size()) + " y and " +
                                std::to_string(labels.size()) + " labels");
  MinMax mx, my;
  for (size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i]) && (!opt.log_y || y[i] > 0)) {
      mx.add(x[i]);
      my.add(y[i]);
    }
  if (opt.circle && std::isfinite(opt.circle->r)) {
    const auto& ci = *opt.circle;
    mx.add(ci.cx - ci.r);
    mx.add(ci.cx + ci.r);
    if (!opt.log_y || ci.cy - ci.r > 0) {
      my.add(ci.cy - ci.r);
      my.add(ci.cy + ci.r);
    }
  }

  auto colour_of = [](int label) { return kPalette[((label % 10) + 10) % 10]; };
  std::vector<LegendEntry> legend;
  for (int l : std::set<int>(labels.begin(), labels.end()))
    legend.push_back({std::to_string(l), colour_of(l), true});
  if (opt.circle && !opt.circle->label.empty())
    legend.push_back({opt.circle->label, kBlack, false});
  const bool show_legend = opt.legend != LegendPlace::None && !legend.empty();
  const bool outside =
      show_legend && (opt.legend == LegendPlace::Outside || opt.legend == LegendPlace::Auto);

  Range xr = resolve_range(opt.x_range, mx.lo, mx.hi, 0.05, false, "x");
  Range yr = resolve_range(opt.y_range, my.lo, my.hi, 0.05, opt.log_y, "y");
  const int reserve = outside ? legend_width(legend) + 10 : 0;
  if (opt.equal_aspect && !opt.log_y) {
    // Grow the range with fewer units per pixel about its centre until both axes match.
    const Axes probe = make_axes(opt, xr, yr, reserve, false);
    const double ux = (xr.hi - xr.lo) / probe.w, uy = (yr.hi - yr.lo) / probe.h;
    Range& grow = ux < uy ? xr : yr;
    const double want = (ux < uy ? uy * probe.w : ux * probe.h) / 2;
    const double mid = (grow.lo + grow.hi) / 2;
    grow = {mid - want, mid + want};
  }
  Canvas c(opt.width, opt.height);
  const Axes a = make_axes(opt, xr, yr, reserve, false);
  draw_grid(c, a);

  const int radius = opt.point_radius >= 0 ? opt.point_radius : (x.size() > 2000 ? 1 : 2);
  const Color single = kPalette[0];
  for (size_t i = 0; i < x.size(); ++i) {
    if (!a.usable(x[i], y[i])) continue;
    plot_point(c, a, a.px(x[i]), a.py(y[i]), radius,
               labels.empty() ? single : colour_of(labels[i]));
  }
  if (opt.circle && std::isfinite(opt.circle->r) && opt.circle->r > 0) {
    // Traced in data units, so it shows as the ellipse it is whenever the aspect is not equal.
    const auto& ci = *opt.circle;
    const int n = 256;
    for (int k = 0; k < n; ++k) {
      const double t0 = 2 * std::numbers::pi * k / n, t1 = 2 * std::numbers::pi * (k + 1) / n;
      plot_segment(c, a, a.px(ci.cx + ci.r * std::cos(t0)), a.py(ci.cy + ci.r * std::sin(t0)),
                   a.px(ci.cx + ci.r * std::cos(t1)), a.py(ci.cy + ci.r * std::sin(t1)), kBlack, 1);
    }
  }
  if (show_legend) draw_legend(c, a, legend, outside);
  draw_frame(c, a, opt);
  return std::move(c).take();
}

Image histogram(const std::vector<double>& values, int bins, const PlotOptions& opt) {
  if (bins <= 0) throw std::invalid_argument("histogram: bins must be > 0");
  MinMax mv;
  for (double v : values)
    if (std::isfinite(v)) mv.add(v);
  // Bin edges: the fixed range, or the data's span (widened if it is a single value).
  const Range xr = resolve_range(opt.x_range, mv.lo, mv.hi, 0.0, false, "x");
  std::vector<double> counts(bins, 0.0);
  const double width = (xr.hi - xr.lo) / bins;
  for (double v : values) {
    if (!std::isfinite(v) || v < xr.lo || v > xr.hi) continue;
    const int b = std::min(bins - 1, static_cast<int>((v - xr.lo) / width));  // max -> last bin
    counts[b] += 1;
  }
  const double top = std::max(1.0, *std::max_element(counts.begin(), counts.end()));
  Range yr;
  if (opt.y_range) {
    yr = resolve_range(opt.y_range, kNaN, kNaN, 0, opt.log_y, "y");
  } else if (opt.log_y) {
    yr = {std::log10(0.5), std::log10(top * 1.5)};
  } else {
    yr = {0, top * 1.05};
  }
  Canvas c(opt.width, opt.height);
  const Axes a = make_axes(opt, xr, yr, 0, true);
  draw_grid(c, a);
  c.set_clip(a.x0, a.y0, a.w, a.h);
  const int base = a.y0 + a.h;
  for (int b = 0; b < bins; ++b) {
    if (counts[b] <= 0) continue;
    const double left = a.px(xr.lo + b * width), right = a.px(xr.lo + (b + 1) * width);
    const int l = static_cast<int>(std::lround(left)), r = static_cast<int>(std::lround(right));
    const int gap = r - l >= 4 ? 1 : 0;  // keep neighbouring bars apart when there is room
    const double top_px = std::max(double(a.y0) - 1, a.py(counts[b]));
    const int t = static_cast<int>(std::lround(top_px));
    c.fill_rect(l + gap, t, std::max(1, r - l - gap), base - t, kPalette[0]);
  }
  c.reset_clip();
  draw_frame(c, a, opt);
  return std::move(c).take();
}

}  // namespace aekit::draw
