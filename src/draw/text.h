// Text for figures, set with Pango in a real font (DejaVu Sans, or fontconfig's sans-serif
// fallback): measuring a label before layout and drawing it on a cairo context.
// Sizes are in points; figures are laid out in pixels at kDpi, so 10 pt is ~13.9 px.
#pragma once
#include <string_view>

#include "draw/color.h"

typedef struct _cairo cairo_t;

namespace aekit::draw {

inline constexpr double kDpi = 100;  // figure units are pixels at this resolution (Matplotlib's)
inline constexpr double pt_to_px(double pt) { return pt * kDpi / 72.0; }

struct TextStyle {
  double size_pt = 10;
  Color color = kTextColor;
  bool bold = false;
};

struct TextBox {
  double width = 0, height = 0;  // logical extents (line height, not the ink), in pixels
};

// The box draw_text would fill. Metrics are unhinted, so they do not depend on where the
// text is drawn (PNG, SVG, PDF all lay out alike).
TextBox measure_text(std::string_view s, const TextStyle& style);

enum class Align { start, center, end };

// Draws s with its box placed relative to (x, y): h / v say which edge (or the centre) of the
// box sits there. up = rotated a quarter turn anticlockwise (reading upwards, as on a y axis);
// h and v then still refer to the screen's horizontal and vertical.
void draw_text(cairo_t* cr, double x, double y, std::string_view s, const TextStyle& style,
               Align h, Align v, bool up = false);

}  // namespace aekit::draw
