#include "draw/figure.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "draw/text.h"
#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::draw {

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Paints the recording onto target (scaled) and checks for errors. Vector targets are finished
// (which writes them out) and released; an image target is only flushed, its pixels are wanted.
void replay(cairo_surface_t* recording, cairo_surface_t* target, double scale, bool white) {
  cairo_t* cr = cairo_create(target);
  if (white) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
  }
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, recording, 0, 0);
  cairo_paint(cr);
  const cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  const bool image = cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE;
  if (image)
    cairo_surface_flush(target);
  else
    cairo_surface_finish(target);
  const cairo_status_t st2 = cairo_surface_status(target);
  if (!image) cairo_surface_destroy(target);
  if (st != CAIRO_STATUS_SUCCESS || st2 != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("figure: cairo failed: ") +
                             cairo_status_to_string(st != CAIRO_STATUS_SUCCESS ? st : st2));
}

std::string lower_extension(const std::string& path) {
  const size_t slash = path.find_last_of('/'), dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string e = path.substr(dot);
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

}  // namespace

Figure::Figure(std::shared_ptr<cairo_surface_t> recording, int width, int height)
    : recording_(std::move(recording)), width_(width), height_(height) {}

Image Figure::to_image(double scale) const {
  const int w = std::max(1, static_cast<int>(std::lround(width_ * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(height_ * scale)));
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  replay(recording_.get(), s, scale, true);
  Image img = make_image(w, h, 3);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
    for (int x = 0; x < w; ++x) {
      uint8_t* p = img.at(x, y);
      p[0] = static_cast<uint8_t>(row[x] >> 16);
      p[1] = static_cast<uint8_t>(row[x] >> 8);
      p[2] = static_cast<uint8_t>(row[x]);
    }
  }
  cairo_surface_destroy(s);
  return img;
}

std::string Figure::png() const { return encode_png(to_image()); }

std::string Figure::svg() const {
  std::string out;
  cairo_surface_t* s = cairo_svg_surface_create_for_stream(append, &out, width_, height_);
  cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
  replay(recording_.get(), s, 1, false);
  return out;
}

std::string Figure::pdf() const {
  std::string out;
  const double pt = 72.0 / kDpi;  // PDF pages are measured in points
  cairo_surface_t* s = cairo_pdf_surface_create_for_stream(append, &out, width_ * pt, height_ * pt);
  replay(recording_.get(), s, pt, false);
  return out;
}

void write_figure(const std::string& path, const Figure& fig) {
  const std::string ext = lower_extension(path);
  if (ext == ".png")
    io::write_file_atomic(path, fig.png());
  else if (ext == ".svg")
    io::write_file_atomic(path, fig.svg());
  else if (ext == ".pdf")
    io::write_file_atomic(path, fig.pdf());
  else
    throw InputError(path + ": unknown figure format '" + ext + "' (expected .png, .svg or .pdf)");
}

}  // namespace aekit::draw
