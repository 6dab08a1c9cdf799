#include "draw/text.h"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <numbers>
#include <string>

namespace aekit::draw {

namespace {

// Unhinted metrics and greyscale antialiasing: the same layout on every surface, and no colour
// fringes (subpixel AA) in PNGs.
void set_font_options(PangoContext* ctx) {
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(ctx, fo);
  cairo_font_options_destroy(fo);
}

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

LayoutPtr make_layout(cairo_t* cr, std::string_view s, const TextStyle& style) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  set_font_options(pango_layout_get_context(layout.get()));
  pango_layout_context_changed(layout.get());
  PangoFontDescription* fd = pango_font_description_from_string("DejaVu Sans, sans-serif");
  pango_font_description_set_absolute_size(fd, pt_to_px(style.size_pt) * PANGO_SCALE);
  if (style.bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout.get(), fd);
  pango_font_description_free(fd);
  pango_layout_set_text(layout.get(), s.data(), static_cast<int>(s.size()));
  return layout;
}

TextBox extents(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return {static_cast<double>(logical.width) / PANGO_SCALE,
          static_cast<double>(logical.height) / PANGO_SCALE};
}

// A context on a 1x1 surface, kept per thread, only for measuring.
cairo_t* measuring_context() {
  struct Holder {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t* cr = cairo_create(s);
    ~Holder() {
      cairo_destroy(cr);
      cairo_surface_destroy(s);
    }
  };
  thread_local Holder h;
  return h.cr;
}

double offset(Align a, double size) {
  return a == Align::start ? 0 : a == Align::center ? -size / 2 : -size;
}

}  // namespace

TextBox measure_text(std::string_view s, const TextStyle& style) {
  if (s.empty()) return {};
  return extents(make_layout(measuring_context(), s, style).get());
}

void draw_text(cairo_t* cr, double x, double y, std::string_view s, const TextStyle& style,
               Align h, Align v, bool up) {
  if (s.empty()) return;
  cairo_save(cr);
  cairo_set_source_rgb(cr, style.color.r / 255.0, style.color.g / 255.0, style.color.b / 255.0);
  cairo_translate(cr, x, y);
  if (up) cairo_rotate(cr, -std::numbers::pi / 2);
  LayoutPtr layout = make_layout(cr, s, style);
  const TextBox box = extents(layout.get());
  // On screen the rotated box is box.height wide and box.width tall; its top left corner in
  // the rotated frame is its bottom left on screen.
  if (up)
    cairo_move_to(cr, offset(v, box.width) * -1 - box.width, offset(h, box.height));
  else
    cairo_move_to(cr, offset(h, box.width), offset(v, box.height));
  pango_cairo_show_layout(cr, layout.get());
  cairo_restore(cr);
}

}  // namespace aekit::draw
