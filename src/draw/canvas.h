// Canvas: a vector drawing surface for figures (cairo recording), anti-aliased. Coordinates are
// figure pixels (text.h's kDpi) with (0, 0) the top left corner of the top left pixel, so pixel
// (i, j) has its centre at (i + 0.5, j + 0.5). finish() turns the drawing into a Figure that
// renders to PNG, SVG or PDF (figure.h).
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include "draw/color.h"
#include "draw/figure.h"
#include "draw/text.h"

namespace aekit::draw {

struct Point {
  double x = 0, y = 0;
};

class Canvas {
 public:
  Canvas(int width, int height, Color background = kWhite);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }

  // Limits drawing to the rectangle until reset_clip().
  void set_clip(double x, double y, double w, double h);
  void reset_clip();

  void fill_rect(double x, double y, double w, double h, Color c, double alpha = 1);
  // Crisp 1-pixel lines on pixel row y / column x (whole pixels, no anti-aliased blur): frames,
  // grids and ticks. Ends are pixel indices, inclusive.
  void hline(int x0, int x1, int y, Color c);
  void vline(int x, int y0, int y1, Color c);
  void rect(int x, int y, int w, int h, Color c);  // the four crisp lines around the pixels

  // Anti-aliased polyline with round joins and caps; width in pixels. Fewer than 2 points: nothing.
  void polyline(const std::vector<Point>& pts, Color c, double width);
  void line(double x0, double y0, double x1, double y1, Color c, double width) {
    polyline({{x0, y0}, {x1, y1}}, c, width);
  }
  void disc(double cx, double cy, double r, Color c);  // filled circle
  // Rounded rectangle, filled with fill at fill_alpha and outlined by edge (1 px).
  void box(double x, double y, double w, double h, double radius, Color fill, double fill_alpha,
           Color edge);

  void text(double x, double y, std::string_view s, const TextStyle& style, Align h, Align v,
            bool up = false);

  // The drawing so far as a Figure; the canvas is empty afterwards.
  Figure finish() &&;

 private:
  int width_, height_;
  std::shared_ptr<cairo_surface_t> surface_;
  cairo_t* cr_;
};

}  // namespace aekit::draw
