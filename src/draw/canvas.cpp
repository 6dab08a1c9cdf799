#include "draw/canvas.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "draw/font.h"

namespace aekit::draw {

Canvas::Canvas(int width, int height, Color bg)
    : img_(make_image(width, height, 3)), cx0_(0), cy0_(0), cx1_(width), cy1_(height) {
  for (size_t i = 0; i < img_.pixels.size(); i += 3) {
    img_.pixels[i] = bg.r;
    img_.pixels[i + 1] = bg.g;
    img_.pixels[i + 2] = bg.b;
  }
}

void Canvas::set_clip(int x, int y, int w, int h) {
  cx0_ = std::clamp(x, 0, width());
  cy0_ = std::clamp(y, 0, height());
  cx1_ = std::clamp(x + std::max(w, 0), cx0_, width());
  cy1_ = std::clamp(y + std::max(h, 0), cy0_, height());
}

void Canvas::reset_clip() { set_clip(0, 0, width(), height()); }

void Canvas::set(int x, int y, Color c) {
  if (x < cx0_ || x >= cx1_ || y < cy0_ || y >= cy1_) return;
  uint8_t* p = img_.at(x, y);
  p[0] = c.r;
  p[1] = c.g;
  p[2] = c.b;
}

Color Canvas::get(int x, int y) const {
  const uint8_t* p = img_.at(x, y);
  return {p[0], p[1], p[2]};
}

void Canvas::fill_rect(int x, int y, int w, int h, Color c) {
  // Clamp in 64 bits first so huge rectangles cost only their visible part.
  const int x0 = static_cast<int>(std::max<int64_t>(x, cx0_));
  const int y0 = static_cast<int>(std::max<int64_t>(y, cy0_));
  const int x1 = static_cast<int>(std::min<int64_t>(int64_t{x} + w, cx1_));
  const int y1 = static_cast<int>(std::min<int64_t>(int64_t{y} + h, cy1_));
  for (int yy = y0; yy < y1; ++yy)
    for (int xx = x0; xx < x1; ++xx) set(xx, yy, c);
}

void Canvas::rect(int x, int y, int w, int h, Color c) {
  if (w <= 0 || h <= 0) return;
  fill_rect(x, y, w, 1, c);
  fill_rect(x, y + h - 1, w, 1, c);
  fill_rect(x, y, 1, h, c);
  fill_rect(x + w - 1, y, 1, h, c);
}

void Canvas::line(int x0, int y0, int x1, int y1, Color c, int thickness) {
  thickness = std::max(thickness, 1);
  // Liang-Barsky: cut the segment to (a margin around) the clip rectangle first, so a line
  // whose ends lie far off the canvas does not walk millions of invisible pixels.
  const double m = thickness + 1.0;
  const double lo_x = cx0_ - m, hi_x = cx1_ + m, lo_y = cy0_ - m, hi_y = cy1_ + m;
  const double dx = double(x1) - x0, dy = double(y1) - y0;
  double t0 = 0, t1 = 1;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - lo_x, hi_x - x0, y0 - lo_y, hi_y - y0};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return;  // parallel to this edge and outside it
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
  }
  if (t0 > t1) return;
  if (t0 > 0 || t1 < 1) {
    const int nx0 = static_cast<int>(std::lround(x0 + t0 * dx));
    const int ny0 = static_cast<int>(std::lround(y0 + t0 * dy));
    x1 = static_cast<int>(std::lround(x0 + t1 * dx));
    y1 = static_cast<int>(std::lround(y0 + t1 * dy));
    x0 = nx0;
    y0 = ny0;
  }

  const int off = (thickness - 1) / 2;
  const int ax = std::abs(x1 - x0), ay = -std::abs(y1 - y0);
  const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  int err = ax + ay;
  for (;;) {
    if (thickness == 1)
      set(x0, y0, c);
    else
      fill_rect(x0 - off, y0 - off, thickness, thickness, c);
    if (x0 == x1 && y0 == y1) break;
    const int e2 = 2 * err;
    if (e2 >= ay) {
      err += ay;
      x0 += sx;
    }
    if (e2 <= ax) {
      err += ax;
      y0 += sy;
    }
  }
}

void Canvas::circle(int cx, int cy, int r, Color c) {
  if (r < 0) return;
  // Midpoint circle: walk one octant, mirror it eight ways.
  int x = r, y = 0, err = 1 - r;
  while (x >= y) {
    const int pts[8][2] = {{x, y}, {y, x}, {-y, x}, {-x, y}, {-x, -y}, {-y, -x}, {y, -x}, {x, -y}};
    for (const auto& p : pts) set(cx + p[0], cy + p[1], c);
    ++y;
    if (err < 0) {
      err += 2 * y + 1;
    } else {
      --x;
      err += 2 * (y - x) + 1;
    }
  }
}

void Canvas::disc(int cx, int cy, int r, Color c) {
  if (r < 0) return;
  // r*r + r rather than r*r rounds the outline out, so small discs look round, not diamond.
  const int64_t limit = int64_t{r} * r + r;
  for (int dy = -r; dy <= r; ++dy) {
    int half = 0;
    while (int64_t{half + 1} * (half + 1) + int64_t{dy} * dy <= limit) ++half;
    fill_rect(cx - half, cy + dy, 2 * half + 1, 1, c);
  }
}

namespace {

// Calls put(gx, gy) for every set font pixel of s, in unscaled text coordinates.
template <class Put>
void for_each_text_pixel(std::string_view s, Put put) {
  int pen_x = 0, pen_y = 0;
  for (unsigned char ch : s) {
    if (ch == '\n') {
      pen_x = 0;
      pen_y += font::kLineHeight;
      continue;
    }
    for (int gx = 0; gx < font::kGlyphWidth; ++gx)
      for (int gy = 0; gy < font::kGlyphHeight; ++gy)
        if (font::pixel(ch, gx, gy)) put(pen_x + gx, pen_y + gy);
    pen_x += font::kAdvance;
  }
}

}  // namespace

int Canvas::text_width(std::string_view s, int scale) {
  scale = std::max(scale, 1);
  int widest = 0, chars = 0;
  for (char ch : s) {
    if (ch == '\n')
      chars = 0;
    else
      widest = std::max(widest, ++chars);
  }
  return widest == 0 ? 0 : (widest * font::kAdvance - 1) * scale;
}

int Canvas::text_height(std::string_view s, int scale) {
  scale = std::max(scale, 1);
  if (s.empty()) return 0;
  const int lines = 1 + static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  return ((lines - 1) * font::kLineHeight + font::kGlyphHeight) * scale;
}

void Canvas::text(int x, int y, std::string_view s, Color c, int scale) {
  scale = std::max(scale, 1);
  for_each_text_pixel(
      s, [&](int gx, int gy) { fill_rect(x + gx * scale, y + gy * scale, scale, scale, c); });
}

void Canvas::text_up(int x, int y, std::string_view s, Color c, int scale) {
  scale = std::max(scale, 1);
  const int w = text_width(s, 1);
  // Text pixel (gx, gy) goes to (gy, w - 1 - gx): glyph tops face left, text reads upwards.
  for_each_text_pixel(s, [&](int gx, int gy) {
    fill_rect(x + gy * scale, y + (w - 1 - gx) * scale, scale, scale, c);
  });
}

void Canvas::blit(const Image& src, int x, int y, int scale) {
  scale = std::max(scale, 1);
  for (int sy = 0; sy < src.height; ++sy)
    for (int sx = 0; sx < src.width; ++sx) {
      const uint8_t* p = src.at(sx, sy);
      const Color c = src.channels == 1 ? Color{p[0], p[0], p[0]} : Color{p[0], p[1], p[2]};
      fill_rect(x + sx * scale, y + sy * scale, scale, scale, c);
    }
}

}  // namespace aekit::draw
