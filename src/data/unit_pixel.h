// A pixel byte as the float the models see: b / 255, in [0, 1]. Every path from stored bytes to
// a float sample (IDX sets, arrays, image caches, in-memory pixels) goes through this one
// expression, so a sample has the same bits whichever way it was loaded.
#pragma once
#include <cstdint>

namespace aekit::data {

inline float unit_pixel(uint8_t b) { return b / 255.0f; }

}  // namespace aekit::data
