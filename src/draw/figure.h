// A finished vector figure (plots from plot.h): rendered to RGB pixels, PNG, SVG or PDF from the
// same drawing, so every format shows the same thing.
//
// Sizes are pixels at kDpi (text.h): a 640x420 figure is a 640x420 PNG, a 640x420 px SVG and a
// 6.4 x 4.2 inch PDF page.
#pragma once
#include <memory>
#include <string>

#include "draw/png.h"

typedef struct _cairo_surface cairo_surface_t;

namespace aekit::draw {

class Figure {
 public:
  // Takes a recording surface holding the drawing (see Canvas::finish).
  Figure(std::shared_ptr<cairo_surface_t> recording, int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }

  // RGB pixels, scale pixels per figure unit (2 = twice the size, for high-dpi copies).
  Image to_image(double scale = 1) const;
  // Implicit so callers that compose figures pixel by pixel (side-by-side panels) and the
  // pixel tests can keep treating a plot as the image it shows.
  operator Image() const { return to_image(); }

  std::string png() const;  // bytes of each format
  std::string svg() const;
  std::string pdf() const;

 private:
  std::shared_ptr<cairo_surface_t> recording_;
  int width_, height_;
};

// Writes fig atomically in the format its extension names (.png, .svg or .pdf, any case);
// another extension is an InputError naming the path.
void write_figure(const std::string& path, const Figure& fig);

}  // namespace aekit::draw
