#include "draw/canvas.h"

#include <cairo.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace aekit::draw {

namespace {

void source(cairo_t* cr, Color c, double alpha = 1) {
  cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

}  // namespace

Canvas::Canvas(int width, int height, Color background) : width_(width), height_(height) {
  if (width <= 0 || height <= 0 || width > 1 << 14 || height > 1 << 14)
    throw std::invalid_argument("canvas: bad size " + std::to_string(width) + "x" +
                                std::to_string(height));
  const cairo_rectangle_t extents{0, 0, static_cast<double>(width), static_cast<double>(height)};
  surface_.reset(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents),
                 cairo_surface_destroy);
  cr_ = cairo_create(surface_.get());
  cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
  fill_rect(0, 0, width, height, background);
}

Canvas::~Canvas() {
  if (cr_) cairo_destroy(cr_);
}

void Canvas::set_clip(double x, double y, double w, double h) {
  cairo_reset_clip(cr_);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_clip(cr_);
}

void Canvas::reset_clip() { cairo_reset_clip(cr_); }

void Canvas::fill_rect(double x, double y, double w, double h, Color c, double alpha) {
  if (w <= 0 || h <= 0) return;
  source(cr_, c, alpha);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void Canvas::hline(int x0, int x1, int y, Color c) {
  if (x1 < x0) return;
  fill_rect(x0, y, x1 - x0 + 1, 1, c);
}

void Canvas::vline(int x, int y0, int y1, Color c) {
  if (y1 < y0) return;
  fill_rect(x, y0, 1, y1 - y0 + 1, c);
}

void Canvas::rect(int x, int y, int w, int h, Color c) {
  hline(x, x + w - 1, y, c);
  hline(x, x + w - 1, y + h - 1, c);
  vline(x, y, y + h - 1, c);
  vline(x + w - 1, y, y + h - 1, c);
}

void Canvas::polyline(const std::vector<Point>& pts, Color c, double width) {
  if (pts.size() < 2) return;
  cairo_new_path(cr_);
  cairo_move_to(cr_, pts[0].x, pts[0].y);
  for (size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].x, pts[i].y);
  source(cr_, c);
  cairo_set_line_width(cr_, width);
  cairo_stroke(cr_);
}

void Canvas::disc(double cx, double cy, double r, Color c) {
  if (!(r > 0)) return;
  cairo_new_path(cr_);
  cairo_arc(cr_, cx, cy, r, 0, 2 * std::numbers::pi);
  source(cr_, c);
  cairo_fill(cr_);
}

void Canvas::box(double x, double y, double w, double h, double radius, Color fill,
                 double fill_alpha, Color edge) {
  // Outline on pixel centres so its 1-pixel edge stays sharp.
  x = std::round(x) + 0.5;
  y = std::round(y) + 0.5;
  w = std::round(w) - 1;
  h = std::round(h) - 1;
  cairo_new_path(cr_);
  cairo_arc(cr_, x + w - radius, y + radius, radius, -std::numbers::pi / 2, 0);
  cairo_arc(cr_, x + w - radius, y + h - radius, radius, 0, std::numbers::pi / 2);
  cairo_arc(cr_, x + radius, y + h - radius, radius, std::numbers::pi / 2, std::numbers::pi);
  cairo_arc(cr_, x + radius, y + radius, radius, std::numbers::pi, 3 * std::numbers::pi / 2);
  cairo_close_path(cr_);
  source(cr_, fill, fill_alpha);
  cairo_fill_preserve(cr_);
  source(cr_, edge);
  cairo_set_line_width(cr_, 1);
  cairo_stroke(cr_);
}

void Canvas::text(double x, double y, std::string_view s, const TextStyle& style, Align h,
                  Align v, bool up) {
  draw_text(cr_, x, y, s, style, h, v, up);
}

Figure Canvas::finish() && {
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_flush(surface_.get());
  return Figure(std::move(surface_), width_, height_);
}

}  // namespace aekit::draw
