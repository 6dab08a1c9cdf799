// The PNGs most image folders hold: 8-bit grey, grey + alpha, RGB or RGBA, not interlaced, no
// palette, no transparency key. These are decoded here with ISA-L's inflate (Debian libisal)
// instead of libpng's zlib: inflate was 42 % of W9's input pipeline, and on W9's images ISA-L
// inflates in 37 us what zlib takes 114 us for (libdeflate: 54 us). libpng cannot be handed
// another inflate, so the chunk walk and the row filters of this one case are ours.
//
// Every other PNG, and every file in which anything is amiss (a CRC or checksum mismatch, a
// truncated or oversized stream, an unknown critical chunk, a bad filter byte), is left to
// libpng (data/image_decode.cpp): errors and unusual files behave exactly as libpng makes them.
// The tests and the image fuzzer decode each input both ways and require the same pixels.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aekit::data {

struct PngPixels {
  int width = 0, height = 0;
  int channels = 0;             // 1 G, 2 GA, 3 RGB, 4 RGBA
  std::vector<uint8_t> pixels;  // row-major, interleaved
};

// nullopt: not the common case, larger than max_pixels, or not a clean file (read it with libpng).
std::optional<PngPixels> decode_common_png(const std::string& bytes, int64_t max_pixels);

}  // namespace aekit::data
