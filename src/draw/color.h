// 8-bit RGB colours shared by the vector figures (canvas.h) and the pixel images (png.h).
#pragma once
#include <cstdint>

namespace aekit::draw {

struct Color {
  uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

inline constexpr Color kWhite{255, 255, 255};
inline constexpr Color kBlack{0, 0, 0};
inline constexpr Color kTextColor{20, 20, 20};

}  // namespace aekit::draw
