// Writers for small test images in every format the image source reads, built byte by byte or
// with libpng / libjpeg directly (not through the code under test).
#pragma once
#include <png.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

// clang-format off
#include <jpeglib.h>
// clang-format on

#include "data_test_util.h"

namespace aekit::data::datatest {

// PNG with 1..4 channels (G, GA, RGB, RGBA) at bit depth 8 or 16; samples row-major interleaved.
inline std::string png_bytes(int w, int h, int channels, int depth, const std::vector<uint16_t>& samples) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::string out;
  if (setjmp(png_jmpbuf(png))) throw std::runtime_error("test setup: png write failed");
  png_set_write_fn(png, &out, [](png_structp p, png_bytep d, png_size_t n) {
    static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(d), n);
  }, nullptr);
  const int type[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA};
  png_set_IHDR(png, info, w, h, depth, type[channels], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const int bps = depth / 8;
  std::vector<uint8_t> row(static_cast<size_t>(w) * channels * bps);
  for (int y = 0; y < h; ++y) {
    for (int i = 0; i < w * channels; ++i) {
      const uint16_t v = samples[static_cast<size_t>(y) * w * channels + i];
      if (bps == 1) row[i] = static_cast<uint8_t>(v);
      else row[2 * i] = static_cast<uint8_t>(v >> 8), row[2 * i + 1] = static_cast<uint8_t>(v & 0xFF);
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

inline std::string png_rgb8(int w, int h, const std::vector<uint8_t>& rgb) {
  return png_bytes(w, h, 3, 8, std::vector<uint16_t>(rgb.begin(), rgb.end()));
}

// Baseline JPEG (quality 95) of 1 or 3 channels.
inline std::string jpeg_bytes(int w, int h, int channels, const std::vector<uint8_t>& samples, int quality = 95) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* mem = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &mem, &size);
  c.image_width = w, c.image_height = h, c.input_components = channels;
  c.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(samples.data()) + static_cast<size_t>(c.next_scanline) * w * channels;
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  std::string out(reinterpret_cast<char*>(mem), size);
  jpeg_destroy_compress(&c);
  std::free(mem);
  return out;
}

inline void put_le(std::string& s, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// 24-bit bottom-up BMP (BITMAPINFOHEADER), rows padded to 4 bytes.
inline std::string bmp24_bytes(int w, int h, const std::vector<uint8_t>& rgb) {
  const int stride = (w * 3 + 3) & ~3;
  std::string s = "BM";
  put_le(s, 54 + stride * h, 4);
  put_le(s, 0, 4);
  put_le(s, 54, 4);
  put_le(s, 40, 4);
  put_le(s, w, 4);
  put_le(s, h, 4);
  put_le(s, 1, 2);
  put_le(s, 24, 2);
  put_le(s, 0, 4);
  put_le(s, stride * h, 4);
  put_le(s, 2835, 4);
  put_le(s, 2835, 4);
  put_le(s, 0, 4);
  put_le(s, 0, 4);
  for (int y = h - 1; y >= 0; --y) {
    std::string row;
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = &rgb[(static_cast<size_t>(y) * w + x) * 3];
      row += static_cast<char>(p[2]), row += static_cast<char>(p[1]), row += static_cast<char>(p[0]);
    }
    row.resize(stride, '\0');
    s += row;
  }
  return s;
}

// Binary PGM (channels 1) or PPM (3) with the given maxval (16-bit big-endian samples above 255).
inline std::string pnm_bytes(int w, int h, int channels, int maxval, const std::vector<uint16_t>& samples) {
  std::string s = std::string(channels == 1 ? "P5" : "P6") + "\n# made by a test\n" + std::to_string(w) + " " +
                  std::to_string(h) + "\n" + std::to_string(maxval) + "\n";
  for (uint16_t v : samples) {
    if (maxval > 255) s += static_cast<char>(v >> 8);
    s += static_cast<char>(v & 0xFF);
  }
  return s;
}

// w*h*3 RGB bytes with a smooth pattern that differs per seed.
inline std::vector<uint8_t> pattern_rgb(int w, int h, int seed = 0) {
  std::vector<uint8_t> v(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &v[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = static_cast<uint8_t>((x * 255) / std::max(1, w - 1));
      p[1] = static_cast<uint8_t>((y * 255) / std::max(1, h - 1));
      p[2] = static_cast<uint8_t>((seed * 37 + x * 3 + y * 5) & 0xFF);
    }
  return v;
}

}  // namespace aekit::data::datatest
