// Writers for small test images in every format the image source reads, built byte by byte or
// with libpng / libjpeg directly (not through the code under test).
#pragma once
#include <png.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

// clang-format off
#include <jpeglib.h>
// clang-format on

#include "data_test_util.h"

namespace aekit::data::datatest {

// How png_bytes writes, beyond libpng's defaults (kept where a field is left as is).
struct PngWriteOptions {
  int filters = -1;          // PNG_FILTER_* mask: one filter for every row, or PNG_ALL_FILTERS
  bool interlace = false;    // Adam7
  size_t idat_bytes = 0;     // libpng's compressed-data buffer: small values split the stream over IDATs
  bool transparency_key = false;  // a tRNS colour key (the first pixel's colour)
  bool private_chunk = false;     // an ancillary "prVt" chunk after IHDR
};

// PNG with 1..4 channels (G, GA, RGB, RGBA) at bit depth 8 or 16; samples row-major interleaved.
inline std::string png_bytes(int w, int h, int channels, int depth, const std::vector<uint16_t>& samples,
                             const PngWriteOptions& o = {}) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::string out;
  if (setjmp(png_jmpbuf(png))) throw std::runtime_error("test setup: png write failed");
  png_set_write_fn(png, &out, [](png_structp p, png_bytep d, png_size_t n) {
    static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(d), n);
  }, nullptr);
  const int type[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA};
  png_set_IHDR(png, info, w, h, depth, type[channels], o.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (o.filters >= 0) png_set_filter(png, 0, o.filters);
  if (o.idat_bytes > 0) png_set_compression_buffer_size(png, o.idat_bytes);
  if (o.transparency_key) {
    png_color_16 key{};
    key.gray = key.red = samples[0], key.green = samples[1 % channels], key.blue = samples[2 % channels];
    png_set_tRNS(png, info, nullptr, 0, &key);
  }
  if (o.private_chunk) {
    png_unknown_chunk chunk{};
    std::memcpy(chunk.name, "prVt", 5);
    static uint8_t data[3] = {1, 2, 3};
    chunk.data = data, chunk.size = 3, chunk.location = PNG_HAVE_IHDR;
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_ALWAYS, nullptr, 0);
    png_set_unknown_chunks(png, info, &chunk, 1);
  }
  png_write_info(png, info);
  const int bps = depth / 8;
  const size_t row_bytes = static_cast<size_t>(w) * channels * bps;
  std::vector<uint8_t> rows(row_bytes * h);
  for (size_t i = 0; i < samples.size(); ++i) {
    if (bps == 1) rows[i] = static_cast<uint8_t>(samples[i]);
    else rows[2 * i] = static_cast<uint8_t>(samples[i] >> 8), rows[2 * i + 1] = static_cast<uint8_t>(samples[i] & 0xFF);
  }
  std::vector<png_bytep> ptrs(h);
  for (int y = 0; y < h; ++y) ptrs[y] = rows.data() + y * row_bytes;
  png_write_image(png, ptrs.data());  // every pass when interlaced
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
