#include "draw/axes.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tensor/error.h"

namespace aekit::draw {

namespace {

constexpr int kTitleScale = 2;
constexpr int kTick = 4;     // tick mark length
constexpr int kGap = 5;      // between tick marks, labels and axis labels
constexpr int kMargin = 10;  // around the figure's edge
constexpr int kRowH = 12;    // legend row pitch
constexpr int kLegendPad = 6;
constexpr int kSwatch = 18;

int text_h() { return Canvas::text_height("0"); }

}  // namespace

double Axes::px(double x) const { return x0 + (x - xlo) / (xhi - xlo) * (w - 1); }

double Axes::py(double y) const {
  if (log_y) {
    if (!(y > 0)) return std::nan("");
    y = std::log10(y);
  }
  return y0 + (h - 1) - (y - ylo) / (yhi - ylo) * (h - 1);
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
  if (std::isnan(dmin) || std::isnan(dmax)) return log ? Range{0, 1} : Range{0, 1};
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

Axes make_axes(const PlotOptions& opt, Range x, Range y, int right_reserve, bool integer_y) {
  if (opt.width < 160 || opt.height < 120)
    throw std::invalid_argument("plot: size must be at least 160x120, got " +
                                std::to_string(opt.width) + "x" + std::to_string(opt.height));
  Axes a;
  a.xlo = x.lo;
  a.xhi = x.hi;
  a.ylo = y.lo;
  a.yhi = y.hi;
  a.log_y = opt.log_y;

  const int top = opt.title.empty() ? kMargin + 2 : kMargin + text_h() * kTitleScale + kMargin;
  const int bottom =
      kTick + kGap + text_h() + (opt.x_label.empty() ? 0 : kGap + 3 + text_h()) + kMargin;
  a.y0 = top;
  a.h = opt.height - top - bottom;

  const int max_y_ticks = std::max(2, a.h / 45);
  a.yt = a.log_y ? log_ticks(std::pow(10.0, a.ylo), std::pow(10.0, a.yhi), max_y_ticks)
                 : linear_ticks(a.ylo, a.yhi, max_y_ticks, integer_y);
  int label_w = 0;
  for (const auto& s : a.yt.labels) label_w = std::max(label_w, Canvas::text_width(s));
  const int left =
      kMargin + (opt.y_label.empty() ? 0 : text_h() + kGap + 3) + label_w + kGap + kTick;
  a.x0 = left;
  a.w = opt.width - left - kMargin - 6 - right_reserve;
  if (a.w < 40 || a.h < 40)
    throw std::invalid_argument("plot: " + std::to_string(opt.width) + "x" +
                                std::to_string(opt.height) + " leaves no room for the plot area");

  // As many x ticks as fit with their labels side by side and a clear gap between them.
  for (int n = std::max(2, a.w / 40);; --n) {
    a.xt = linear_ticks(a.xlo, a.xhi, n, opt.integer_x);
    int widest = 0;
    for (const auto& s : a.xt.labels) widest = std::max(widest, Canvas::text_width(s));
    if (n <= 2 || static_cast<int>(a.xt.values.size()) * (widest + 14) <= a.w) break;
  }
  return a;
}

void draw_grid(Canvas& c, const Axes& a) {
  for (double v : a.xt.values) {
    const int x = static_cast<int>(std::lround(a.px(v)));
    c.fill_rect(x, a.y0, 1, a.h, kGridColor);
  }
  for (double v : a.yt.values) {
    const int y = static_cast<int>(std::lround(a.py(v)));
    c.fill_rect(a.x0, y, a.w, 1, kGridColor);
  }
}

void draw_frame(Canvas& c, const Axes& a, const PlotOptions& opt) {
  c.reset_clip();
  c.rect(a.x0, a.y0, a.w, a.h, kFrameColor);
  const int th = text_h();
  for (size_t i = 0; i < a.xt.values.size(); ++i) {
    const int x = static_cast<int>(std::lround(a.px(a.xt.values[i])));
    c.fill_rect(x, a.y0 + a.h, 1, kTick, kFrameColor);
    const std::string& s = a.xt.labels[i];
    const int tw = Canvas::text_width(s);
    const int tx = std::clamp(x - tw / 2, 0, std::max(0, c.width() - tw));
    c.text(tx, a.y0 + a.h + kTick + kGap, s, kTextColor);
  }
  for (size_t i = 0; i < a.yt.values.size(); ++i) {
    const int y = static_cast<int>(std::lround(a.py(a.yt.values[i])));
    c.fill_rect(a.x0 - kTick, y, kTick, 1, kFrameColor);
    const std::string& s = a.yt.labels[i];
    c.text(a.x0 - kTick - kGap - Canvas::text_width(s), y - th / 2, s, kTextColor);
  }
  if (!opt.x_label.empty()) {
    const int tw = Canvas::text_width(opt.x_label);
    c.text(std::max(0, a.x0 + (a.w - tw) / 2), a.y0 + a.h + kTick + kGap + th + kGap + 3,
           opt.x_label, kTextColor);
  }
  if (!opt.y_label.empty()) {
    const int tw = Canvas::text_width(opt.y_label);
    c.text_up(kMargin, std::max(0, a.y0 + (a.h - tw) / 2), opt.y_label, kTextColor);
  }
  if (!opt.title.empty()) {
    int scale = kTitleScale;
    if (Canvas::text_width(opt.title, scale) > c.width() - 2 * kMargin) scale = 1;
    const int tw = Canvas::text_width(opt.title, scale);
    // Centred over the plot area when it fits there, else over the figure.
    int tx = a.x0 + (a.w - tw) / 2;
    if (tx < kMargin || tx + tw > c.width() - kMargin) tx = std::max(0, (c.width() - tw) / 2);
    c.text(tx, kMargin, opt.title, kTextColor, scale);
  }
}

void plot_segment(Canvas& c, const Axes& a, double x0, double y0, double x1, double y1, Color col,
                  int thickness) {
  if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
  // Clip in floating point first: far-off points must not overflow int coordinates.
  const double m = 4 + thickness;
  const double lo_x = a.x0 - m, hi_x = a.x0 + a.w + m, lo_y = a.y0 - m, hi_y = a.y0 + a.h + m;
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - lo_x, hi_x - x0, y0 - lo_y, hi_y - y0};
  double t0 = 0, t1 = 1;
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
  }
  if (t0 > t1) return;
  c.set_clip(a.x0, a.y0, a.w, a.h);
  c.line(static_cast<int>(std::lround(x0 + t0 * dx)), static_cast<int>(std::lround(y0 + t0 * dy)),
         static_cast<int>(std::lround(x0 + t1 * dx)), static_cast<int>(std::lround(y0 + t1 * dy)),
         col, thickness);
  c.reset_clip();
}

void plot_point(Canvas& c, const Axes& a, double x, double y, int radius, Color col) {
  const double m = radius + 1;
  if (!(x >= a.x0 - m && x <= a.x0 + a.w + m && y >= a.y0 - m && y <= a.y0 + a.h + m)) return;
  c.set_clip(a.x0, a.y0, a.w, a.h);
  c.disc(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)), radius, col);
  c.reset_clip();
}

int legend_width(const std::vector<LegendEntry>& entries) {
  int text_w = 0;
  for (const auto& e : entries) text_w = std::max(text_w, Canvas::text_width(e.text));
  text_w = std::max(text_w, Canvas::text_width("+999 more"));
  return 2 * kLegendPad + kSwatch + kGap + text_w;
}

void draw_legend(Canvas& c, const Axes& a, const std::vector<LegendEntry>& entries, bool outside) {
  if (entries.empty()) return;
  const int max_rows = std::max(1, (a.h - 2 * kLegendPad - 8) / kRowH);
  const int rows = std::min<int>(entries.size(), max_rows);
  const bool truncated = rows < static_cast<int>(entries.size());
  const int lw = legend_width(entries);
  const int lh = 2 * kLegendPad + rows * kRowH - (kRowH - text_h());

  int lx, ly;
  if (outside) {
    lx = a.x0 + a.w + kMargin;
    ly = a.y0;
  } else {
    // Candidates in order of preference; the first with the fewest data pixels wins.
    const int inset = 6;
    const int cand[4][2] = {{a.x0 + a.w - inset - lw, a.y0 + inset},
                            {a.x0 + inset, a.y0 + inset},
                            {a.x0 + a.w - inset - lw, a.y0 + a.h - inset - lh},
                            {a.x0 + inset, a.y0 + a.h - inset - lh}};
    long best = -1;
    lx = cand[0][0];
    ly = cand[0][1];
    for (const auto& cd : cand) {
      long covered = 0;
      for (int y = std::max(0, cd[1]); y < std::min(c.height(), cd[1] + lh); ++y)
        for (int x = std::max(0, cd[0]); x < std::min(c.width(), cd[0] + lw); ++x) {
          const Color p = c.get(x, y);
          covered += !(p == kWhite || p == kGridColor);
        }
      if (best < 0 || covered < best) {
        best = covered;
        lx = cd[0];
        ly = cd[1];
      }
    }
  }

  c.fill_rect(lx, ly, lw, lh, kWhite);
  c.rect(lx, ly, lw, lh, Color{180, 180, 180});
  const int th = text_h();
  for (int r = 0; r < rows; ++r) {
    const int ty = ly + kLegendPad + r * kRowH;
    const int mid = ty + th / 2;
    const int sx = lx + kLegendPad;
    if (truncated && r == rows - 1) {
      c.text(sx + kSwatch + kGap, ty, "+" + std::to_string(entries.size() - rows + 1) + " more",
             kTextColor);
      break;
    }
    const LegendEntry& e = entries[r];
    if (e.marker)
      c.disc(sx + kSwatch / 2, mid, 3, e.color);
    else
      c.line(sx, mid, sx + kSwatch - 1, mid, e.color, 2);
    c.text(sx + kSwatch + kGap, ty, e.text, kTextColor);
  }
}

}  // namespace aekit::draw
