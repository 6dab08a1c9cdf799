// Canvas: an RGB drawing surface for figures (rectangles, lines, circles, text, pasted images).
// Every operation is clipped to the canvas and to an optional clip rectangle, so callers can
// draw with coordinates that fall outside (a plot's data line leaving its axes, say).
#pragma once
#include <cstdint>
#include <string_view>

#include "draw/png.h"

namespace aekit::draw {

struct Color {
  uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

inline constexpr Color kWhite{255, 255, 255};
inline constexpr Color kBlack{0, 0, 0};

class Canvas {
 public:
  Canvas(int width, int height, Color background = kWhite);

  int width() const { return img_.width; }
  int height() const { return img_.height; }

  // Limits all drawing to the rectangle (intersected with the canvas) until reset_clip().
  void set_clip(int x, int y, int w, int h);
  void reset_clip();

  void set(int x, int y, Color c);
  Color get(int x, int y) const;  // (x, y) must lie on the canvas
  void fill_rect(int x, int y, int w, int h, Color c);
  void rect(int x, int y, int w, int h, Color c);  // 1-pixel outline
  // Bresenham line between pixel centres; thickness > 1 stamps a square brush.
  void line(int x0, int y0, int x1, int y1, Color c, int thickness = 1);
  void circle(int cx, int cy, int r, Color c);  // 1-pixel outline
  void disc(int cx, int cy, int r, Color c);    // filled; r = 0 is one pixel

  // Text in the built-in 5x7 font, each font pixel drawn as scale x scale; (x, y) is the top
  // left of the first glyph and '\n' starts a new line. text_up draws it rotated a quarter turn
  // anticlockwise (reading upwards, as on a y axis) with (x, y) the top left of its box.
  void text(int x, int y, std::string_view s, Color c, int scale = 1);
  void text_up(int x, int y, std::string_view s, Color c, int scale = 1);
  // Size of the box text() covers (text_up covers it transposed).
  static int text_width(std::string_view s, int scale = 1);
  static int text_height(std::string_view s, int scale = 1);

  // Pastes a grey or RGB image with its top left at (x, y), each pixel as scale x scale.
  void blit(const Image& img, int x, int y, int scale = 1);

  const Image& image() const { return img_; }
  Image take() && { return std::move(img_); }

 private:
  Image img_;
  int cx0_, cy0_, cx1_, cy1_;  // clip rectangle, half-open [cx0_, cx1_) x [cy0_, cy1_)
};

}  // namespace aekit::draw
