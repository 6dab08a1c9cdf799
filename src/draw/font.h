// A built-in 5x7 bitmap font for ASCII 32..126, so figures need no font files or libraries.
// Each glyph sits in a 6x8 cell (one blank column and row of spacing).
#pragma once
#include <cstdint>

namespace aekit::draw::font {

constexpr int kGlyphWidth = 5, kGlyphHeight = 7;
constexpr int kAdvance = 6;     // cell width: glyph plus one column of spacing
constexpr int kLineHeight = 9;  // glyph plus two rows of spacing between lines

// Five column bytes for character ch (bit 0 = top row). Characters outside 32..126 get '?'.
const uint8_t* glyph(unsigned char ch);

inline bool pixel(unsigned char ch, int x, int y) { return (glyph(ch)[x] >> y) & 1; }

}  // namespace aekit::draw::font
