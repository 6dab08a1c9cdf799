// Decoding users' image files (PNG, JPEG, BMP, binary PGM/PPM) into 8-bit pixels with a fixed
// channel count. PNG goes through libpng (the common 8-bit case through data/png_common_case.h)
// and JPEG through libjpeg-turbo (both Debian libraries;
// libjpeg-turbo, rather than stb_image, because it reports a truncated JPEG, which stb_image
// silently pads with grey); BMP and PNM are simple enough to read here.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aekit::data {

// Row-major, interleaved 8-bit pixels (channels 1 = grey, 3 = RGB).
struct RawImage {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> pixels;  // height * width * channels bytes
};

struct DecodeOptions {
  int channels = 3;  // 1: grey (Rec. 601 luma), 3: RGB
  // Transparent pixels are composited onto this colour (white, as a viewer shows them).
  std::array<uint8_t, 3> background = {255, 255, 255};
  // Header limits, checked BEFORE any pixel memory is allocated: a 1x1 image is not a usable
  // sample and a 100000x100000 header would ask for 30 GB.
  int min_side = 2;
  int64_t max_pixels = int64_t{1} << 26;  // 67 M pixels, e.g. 8192 x 8192
  // Common PNGs through data/png_common_case.h; false: every PNG through libpng (the tests and
  // the fuzzer compare the two).
  bool common_png_fast_path = true;
};

// Width, height and format ("png", "jpeg", "bmp", "pnm") from the header alone.
struct ImageHeader {
  int width = 0, height = 0;
  std::string format;
};

// Files whose extension says image: .png .jpg .jpeg .bmp .pgm .ppm .pnm (any case).
bool has_image_extension(const std::string& path);

// InputError "<path>: ..." for an unknown format, a corrupt or truncated file or a size outside
// the limits. The format is taken from the leading bytes, not the extension.
ImageHeader read_image_header(const std::string& bytes, const std::string& path_for_errors);
RawImage decode_image(const std::string& bytes, const std::string& path_for_errors,
                      const DecodeOptions& options = {});
RawImage read_image(const std::string& path, const DecodeOptions& options = {});

}  // namespace aekit::data
