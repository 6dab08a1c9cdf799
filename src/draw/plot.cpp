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

// Clips segment p-q to the plot area widened by margin (Liang-Barsky) in floating point, so
// far-off points never reach cairo's fixed-point coordinates. False if nothing is left.
bool clip_segment(const Axes& a, double margin, Point& p, Point& q) {
  const double lo_x = a.x0 - margin, hi_x = a.x0 + a.w + margin;
  const double lo_y = a.y0 - margin, hi_y = a.y0 + a.h + margin;
  const double dx = q.x - p.x, dy = q.y - p.y;
  const double pp[4] = {-dx, dx, -dy, dy};
  const double qq[4] = {p.x - lo_x, hi_x - p.x, p.y - lo_y, hi_y - p.y};
  double t0 = 0, t1 = 1;
  for (int i = 0; i < 4; ++i) {
    if (pp[i] == 0) {
      if (qq[i] < 0) return false;
      continue;
    }
    const double t = qq[i] / pp[i];
    if (pp[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
  }
  if (t0 > t1) return false;
  const Point p0 = p;
  p = {p0.x + t0 * dx, p0.y + t0 * dy};
  q = {p0.x + t1 * dx, p0.y + t1 * dy};
  return true;
}

// Strokes the polyline through pts (canvas coordinates; NaN breaks it) clipped to the plot
// area, and records samples along it for the legend's placement.
void plot_path(Canvas& c, const Axes& a, const std::vector<Point>& pts, Color col, double width,
               std::vector<Point>& drawn) {
  std::vector<Point> run;
  auto flush = [&] {
    c.polyline(run, col, width);
    run.clear();
  };
  for (size_t i = 1; i < pts.size(); ++i) {
    Point p = pts[i - 1], q = pts[i];
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(q.x) || !std::isfinite(q.y) ||
        !clip_segment(a, 4 + width, p, q)) {
      flush();
      continue;
    }
    if (!run.empty() && (run.back().x != p.x || run.back().y != p.y)) flush();
    if (run.empty()) run.push_back(p);
    run.push_back(q);
    const int samples = std::min(200, static_cast<int>(std::hypot(q.x - p.x, q.y - p.y) / 4));
    for (int k = 0; k <= samples; ++k) {
      const double t = samples ? static_cast<double>(k) / samples : 0;
      drawn.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
    }
  }
  flush();
}

bool near_area(const Axes& a, double x, double y, double margin) {
  return x >= a.x0 - margin && x <= a.x0 + a.w + margin && y >= a.y0 - margin &&
         y <= a.y0 + a.h + margin;
}

}  // namespace

Figure line_plot(const std::vector<Series>& series, const PlotOptions& opt) {
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

  std::vector<Point> drawn;
  clip_to_area(c, a);
  for (size_t si = 0; si < series.size(); ++si) {
    const Series& s = series[si];
    const Color col = kPalette[si % 10];
    std::vector<Point> pts(s.x.size());
    size_t finite = 0;
    for (size_t i = 0; i < s.x.size(); ++i) {
      const bool ok = a.usable(s.x[i], s.y[i]);
      finite += ok;
      pts[i] = ok ? Point{a.px(s.x[i]), a.py(s.y[i])} : Point{kNaN, kNaN};
    }
    plot_path(c, a, pts, col, kLineWidth, drawn);
    // Dots for short series, and for any point with no line through it (else invisible).
    for (size_t i = 0; i < pts.size(); ++i) {
      if (!std::isfinite(pts[i].x)) continue;
      const bool prev = i > 0 && std::isfinite(pts[i - 1].x);
      const bool next = i + 1 < pts.size() && std::isfinite(pts[i + 1].x);
      if ((finite <= 40 || (!prev && !next)) && near_area(a, pts[i].x, pts[i].y, 5)) {
        c.disc(pts[i].x, pts[i].y, 3, col);
        drawn.push_back(pts[i]);
      }
    }
  }
  c.reset_clip();
  if (show_legend) draw_legend(c, a, legend, outside, drawn);
  draw_frame(c, a, opt);
  return std::move(c).finish();
}

Figure scatter_plot(const std::vector<double>& x, const std::vector<double>& y,
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
    legend.push_back({l >= 0 && l < static_cast<int>(opt.label_names.size()) ? opt.label_names[l] : std::to_string(l),
                      colour_of(l), true});
  if (opt.circle && !opt.circle->label.empty())
    legend.push_back({opt.circle->label, kBlack, false});
  const bool show_legend = opt.legend != LegendPlace::None && !legend.empty();
  const bool outside =
      show_legend && (opt.legend == LegendPlace::Outside || opt.legend == LegendPlace::Auto);

  Range xr = resolve_range(opt.x_range, mx.lo, mx.hi, 0.05, false, "x");
  Range yr = resolve_range(opt.y_range, my.lo, my.hi, 0.05, opt.log_y, "y");
  const double reserve = outside ? legend_width(legend) + 10 : 0;
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

  const double radius = opt.point_radius >= 0 ? opt.point_radius : (x.size() > 2000 ? 1.6 : 3.0);
  const Color single = kPalette[0];
  std::vector<Point> drawn;
  clip_to_area(c, a);
  for (size_t i = 0; i < x.size(); ++i) {
    if (!a.usable(x[i], y[i])) continue;
    const double px = a.px(x[i]), py = a.py(y[i]);
    if (!near_area(a, px, py, radius + 1)) continue;
    c.disc(px, py, radius, labels.empty() ? single : colour_of(labels[i]));
    drawn.push_back({px, py});
  }
  if (opt.circle && std::isfinite(opt.circle->r) && opt.circle->r > 0) {
    // Traced in data units, so it shows as the ellipse it is whenever the aspect is not equal.
    const auto& ci = *opt.circle;
    const int n = 256;
    std::vector<Point> ring;
    for (int k = 0; k <= n; ++k) {
      const double t = 2 * std::numbers::pi * k / n;
      ring.push_back({a.px(ci.cx + ci.r * std::cos(t)), a.py(ci.cy + ci.r * std::sin(t))});
    }
    plot_path(c, a, ring, kBlack, 1.5, drawn);
  }
  c.reset_clip();
  if (show_legend) draw_legend(c, a, legend, outside, drawn);
  draw_frame(c, a, opt);
  return std::move(c).finish();
}

Figure histogram(const std::vector<double>& values, int bins, const PlotOptions& opt) {
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
  clip_to_area(c, a);
  const double base = a.y0 + a.h;
  for (int b = 0; b < bins; ++b) {
    if (counts[b] <= 0) continue;
    // Bars on whole pixels (crisp edges), a white pixel apart when there is room.
    const double l = std::round(a.px(xr.lo + b * width)), r = std::round(a.px(xr.lo + (b + 1) * width));
    const double gap = r - l >= 4 ? 1 : 0;
    const double t = std::round(std::max(a.y0 - 1.0, a.py(counts[b])));
    c.fill_rect(l + gap, t, std::max(1.0, r - l - gap), base - t, kPalette[0]);
  }
  c.reset_clip();
  draw_frame(c, a, opt);
  return std::move(c).finish();
}

}  // namespace aekit::draw
