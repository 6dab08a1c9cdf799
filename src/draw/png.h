// 8-bit PNG images for figures and for users' own photos. Encoding and decoding go through
// libpng; files are written with io::write_file_atomic so a figure is either complete or absent.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aekit::draw {

// Row-major, interleaved 8-bit pixels: channels 1 = grey, 3 = RGB.
struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> pixels;  // width * height * channels bytes

  uint8_t* at(int x, int y) { return &pixels[(static_cast<size_t>(y) * width + x) * channels]; }
  const uint8_t* at(int x, int y) const {
    return &pixels[(static_cast<size_t>(y) * width + x) * channels];
  }
};

// A width x height image with every byte set to fill. Throws std::invalid_argument on a
// negative size or channels other than 1 or 3.
Image make_image(int width, int height, int channels, uint8_t fill = 0);

// PNG bytes of img (8-bit grey or RGB, no metadata chunks, so equal images give equal bytes).
std::string encode_png(const Image& img);
// Decodes PNG bytes. Grey (with or without alpha) gives channels 1; colour and palette images
// give channels 3. 16-bit samples are scaled to 8 bits, low bit depths expanded, and alpha
// composited onto white (how a viewer shows a transparent image). Errors are InputError naming
// path_for_errors: "<path>: not a PNG file" or "<path>: corrupt PNG (<reason>)".
Image decode_png(const std::string& bytes, const std::string& path_for_errors);

void write_png(const std::string& path, const Image& img);  // atomic
Image read_png(const std::string& path);

// RGB -> grey with Rec. 601 luma weights; a grey image is returned unchanged.
Image to_grey(const Image& img);
// Resamples to width x height (pixel centres aligned, like PIL / align_corners=false). When
// shrinking, the triangle filter is widened by the shrink factor so every source pixel
// contributes: plain 4-tap bilinear would alias badly taking a large photo down to 28x28.
Image resize_bilinear(const Image& img, int width, int height);

}  // namespace aekit::draw
