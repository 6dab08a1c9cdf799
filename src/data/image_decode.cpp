#include "data/image_decode.h"

// clang-format off
#include <cstdio>   // jpeglib.h needs FILE and size_t first
#include <csetjmp>
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
// clang-format on

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "data/png_common_case.h"
#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::data {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw InputError(path + ": " + what);
}

std::string format_of(const std::string& b) {
  if (b.size() >= 8 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return "png";
  if (b.size() >= 3 && static_cast<uint8_t>(b[0]) == 0xFF && static_cast<uint8_t>(b[1]) == 0xD8 &&
      static_cast<uint8_t>(b[2]) == 0xFF)
    return "jpeg";
  if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M') return "bmp";
  if (b.size() >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) return "pnm";
  return "";
}

void check_size(int64_t w, int64_t h, const DecodeOptions& o, const std::string& path) {
  if (w < o.min_side || h < o.min_side)
    fail(path, "image is " + std::to_string(w) + "x" + std::to_string(h) + ", smaller than " +
                   std::to_string(o.min_side) + "x" + std::to_string(o.min_side));
  if (w > o.max_pixels || h > o.max_pixels || w * h > o.max_pixels)  // each side first: w * h can overflow
    fail(path, "image header says " + std::to_string(w) + "x" + std::to_string(h) +
                   ", more than the limit of " + std::to_string(o.max_pixels) + " pixels");
}

// Source pixels with 1..4 interleaved channels (G, GA, RGB, RGBA) -> the requested channels,
// compositing alpha onto the background. Without alpha and with the channels wanted, the pixels
// are already the answer: they move (7 % of W9's decode pass went to copying them one by one).
RawImage convert(int w, int h, int src_ch, std::vector<uint8_t>&& pixels, const DecodeOptions& o) {
  const bool alpha = src_ch == 2 || src_ch == 4;
  const bool colour = src_ch >= 3;
  if (!alpha && src_ch == o.channels) return RawImage{w, h, src_ch, std::move(pixels)};
  const uint8_t* src = pixels.data();
  RawImage out{w, h, o.channels, std::vector<uint8_t>(static_cast<size_t>(w) * h * o.channels)};
  auto luma = [](int r, int g, int b) { return (299 * r + 587 * g + 114 * b + 500) / 1000; };
  const int bg_grey = luma(o.background[0], o.background[1], o.background[2]);
  const size_t n = static_cast<size_t>(w) * h;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = src + i * src_ch;
    int c[3] = {p[0], colour ? p[1] : p[0], colour ? p[2] : p[0]};
    const int a = alpha ? p[src_ch - 1] : 255;
    uint8_t* q = out.pixels.data() + i * o.channels;
    if (o.channels == 3) {
      for (int k = 0; k < 3; ++k) q[k] = static_cast<uint8_t>((a * c[k] + (255 - a) * o.background[k] + 127) / 255);
    } else {
      const int g = colour ? luma(c[0], c[1], c[2]) : c[0];
      q[0] = static_cast<uint8_t>((a * g + (255 - a) * bg_grey + 127) / 255);
    }
  }
  return out;
}

// ---- PNG (libpng) ---------------------------------------------------------------------------

struct PngReader {
  const std::string* bytes;
  size_t pos = 0;
  std::string error;
};

void png_read_mem(png_structp png, png_bytep out, png_size_t n) {
  auto* r = static_cast<PngReader*>(png_get_io_ptr(png));
  if (r->pos + n > r->bytes->size()) png_error(png, "file is truncated");
  std::memcpy(out, r->bytes->data() + r->pos, n);
  r->pos += n;
}
void png_on_error(png_structp png, png_const_charp msg) {
  static_cast<PngReader*>(png_get_error_ptr(png))->error = msg;
  png_longjmp(png, 1);
}
void png_on_warning(png_structp, png_const_charp) {}

// Reads the header (and, when o is given, the pixels). Both paths share the setup.
RawImage png_decode(const std::string& bytes, const std::string& path, const DecodeOptions& o,
                    bool header_only) {
  if (!header_only && o.common_png_fast_path) {
    if (std::optional<PngPixels> p = decode_common_png(bytes, o.max_pixels)) {
      check_size(p->width, p->height, o, path);
      return convert(p->width, p->height, p->channels, std::move(p->pixels), o);
    }
  }
  PngReader reader{&bytes, 0, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, png_on_error, png_on_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw std::bad_alloc();
  }
  std::vector<uint8_t> buf;
  std::vector<png_bytep> rows;
  RawImage result;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    fail(path, "corrupt PNG (" + reader.error + ")");
  }
  // Let our own limit speak first (libpng's default refuses widths above 1,000,000 itself).
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  png_set_read_fn(png, &reader, png_read_mem);
  png_read_info(png, info);
  const int w = static_cast<int>(png_get_image_width(png, info));
  const int h = static_cast<int>(png_get_image_height(png, info));
  result.width = w;
  result.height = h;
  bool size_ok = true;
  std::string size_error;
  try {
    check_size(w, h, o, path);
  } catch (const InputError& e) {
    size_ok = false;
    size_error = e.what();
  }
  if (header_only || !size_ok) {
    png_destroy_read_struct(&png, &info, nullptr);
    if (!size_ok) throw InputError(size_error);
    return result;
  }
  png_set_palette_to_rgb(png);
  png_set_expand_gray_1_2_4_to_8(png);
  png_set_tRNS_to_alpha(png);
  png_set_scale_16(png);  // 16-bit samples rounded to 8 bits (not just the high byte)
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int ch = png_get_channels(png, info);
  buf.resize(static_cast<size_t>(w) * h * ch);
  rows.resize(h);
  for (int y = 0; y < h; ++y) rows[y] = buf.data() + static_cast<size_t>(y) * w * ch;
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return convert(w, h, ch, std::move(buf), o);
}

// ---- JPEG (libjpeg-turbo) -------------------------------------------------------------------

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {0};
  bool truncated = false;
};
void jpeg_on_error(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  cinfo->err->format_message(cinfo, e->message);
  std::longjmp(e->jump, 1);
}
// libjpeg only warns about missing data and fills the rest with grey; we call that an error.
void jpeg_on_message(j_common_ptr cinfo, int level) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) e->truncated = true;
}

RawImage jpeg_decode(const std::string& bytes, const std::string& path, const DecodeOptions& o,
                     bool header_only) {
  jpeg_decompress_struct cinfo;
  JpegError err;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_on_error;
  err.mgr.emit_message = jpeg_on_message;
  std::vector<uint8_t> buf;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    fail(path, "corrupt JPEG (" + std::string(err.message) + ")");
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  RawImage result;
  result.width = static_cast<int>(cinfo.image_width);
  result.height = static_cast<int>(cinfo.image_height);
  try {
    check_size(result.width, result.height, o, path);
  } catch (const InputError&) {
    jpeg_destroy_decompress(&cinfo);
    throw;
  }
  if (header_only) {
    jpeg_destroy_decompress(&cinfo);
    return result;
  }
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    jpeg_destroy_decompress(&cinfo);
    fail(path, "CMYK JPEG is not supported (convert it to RGB)");
  }
  cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const int ch = cinfo.output_components;
  const int w = static_cast<int>(cinfo.output_width), h = static_cast<int>(cinfo.output_height);
  buf.resize(static_cast<size_t>(w) * h * ch);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = buf.data() + static_cast<size_t>(cinfo.output_scanline) * w * ch;
    jpeg_read_scanlines(&cinfo, &row, 1);
    if (err.truncated) break;
  }
  if (!err.truncated) jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (err.truncated) fail(path, "truncated JPEG (the image data ends early)");
  return convert(w, h, ch, std::move(buf), o);
}

// ---- BMP ------------------------------------------------------------------------------------

uint32_t le32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
}
uint16_t le16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}

// Uncompressed 8-bit (palette), 24-bit and 32-bit (BI_RGB or BI_BITFIELDS) Windows bitmaps, which
// is what image editors and PIL write.
RawImage bmp_decode(const std::string& b, const std::string& path, const DecodeOptions& o,
                    bool header_only) {
  if (b.size() < 54) fail(path, "truncated BMP header");
  const uint32_t data_at = le32(b, 10), dib = le32(b, 14);
  if (dib < 40 || 14 + static_cast<size_t>(dib) > b.size()) fail(path, "unsupported or truncated BMP header");
  const int64_t w = static_cast<int32_t>(le32(b, 18));
  const int64_t h_signed = static_cast<int32_t>(le32(b, 22));
  const int bpp = le16(b, 28);
  const uint32_t compression = le32(b, 30);
  const bool top_down = h_signed < 0;
  const int64_t h = top_down ? -h_signed : h_signed;
  check_size(w, h, o, path);
  RawImage result{static_cast<int>(w), static_cast<int>(h), 0, {}};
  if (header_only) return result;
  if (!(bpp == 8 || bpp == 24 || bpp == 32) || !(compression == 0 || (compression == 3 && bpp == 32)))
    fail(path, "unsupported BMP (" + std::to_string(bpp) + " bits per pixel, compression " +
                   std::to_string(compression) + "); 8, 24 and 32-bit uncompressed are read");
  const size_t stride = (static_cast<size_t>(w) * bpp / 8 + 3) & ~size_t{3};
  if (static_cast<size_t>(data_at) + stride * h > b.size()) fail(path, "truncated BMP (pixel data ends early)");
  // Channel masks for 32-bit: BI_RGB is B,G,R,unused; BI_BITFIELDS states them after the header.
  uint32_t mask[4] = {0x00FF0000, 0x0000FF00, 0x000000FF, 0};
  if (compression == 3) {
    const size_t at = 14 + 40;
    if (at + 12 > b.size()) fail(path, "truncated BMP header");
    mask[0] = le32(b, at), mask[1] = le32(b, at + 4), mask[2] = le32(b, at + 8);
    if (dib >= 56) mask[3] = le32(b, at + 12);
  }
  auto extract = [](uint32_t v, uint32_t m) -> uint8_t {
    if (!m) return 255;
    int shift = 0;
    while (!((m >> shift) & 1)) ++shift;
    const uint32_t max = m >> shift;
    return static_cast<uint8_t>((((v & m) >> shift) * 255 + max / 2) / max);
  };
  const bool alpha = mask[3] != 0;
  const int ch = alpha ? 4 : 3;
  std::vector<uint8_t> buf(static_cast<size_t>(w) * h * ch);
  const size_t palette_at = 14 + dib;
  for (int64_t y = 0; y < h; ++y) {
    const size_t row = data_at + stride * static_cast<size_t>(top_down ? y : h - 1 - y);
    for (int64_t x = 0; x < w; ++x) {
      uint8_t* q = buf.data() + (static_cast<size_t>(y) * w + x) * ch;
      if (bpp == 8) {
        const size_t e = palette_at + 4 * static_cast<uint8_t>(b[row + x]);
        if (e + 3 > b.size()) fail(path, "corrupt BMP (palette index out of range)");
        q[0] = b[e + 2], q[1] = b[e + 1], q[2] = b[e];
      } else if (bpp == 24) {
        const size_t p = row + 3 * x;
        q[0] = b[p + 2], q[1] = b[p + 1], q[2] = b[p];
      } else {
        const uint32_t v = le32(b, row + 4 * x);
        for (int k = 0; k < ch; ++k) q[k] = extract(v, mask[k]);
      }
    }
  }
  return convert(static_cast<int>(w), static_cast<int>(h), ch, std::move(buf), o);
}

// ---- PGM / PPM (binary P5 / P6, 8 or 16 bits) -----------------------------------------------

RawImage pnm_decode(const std::string& b, const std::string& path, const DecodeOptions& o,
                    bool header_only) {
  size_t pos = 2;
  auto token = [&]() -> int64_t {
    while (pos < b.size()) {
      if (b[pos] == '#') {
        while (pos < b.size() && b[pos] != '\n') ++pos;
      } else if (std::isspace(static_cast<unsigned char>(b[pos]))) {
        ++pos;
      } else {
        break;
      }
    }
    int64_t v = 0;
    size_t digits = 0;
    while (pos < b.size() && std::isdigit(static_cast<unsigned char>(b[pos])) && digits < 12)
      v = v * 10 + (b[pos++] - '0'), ++digits;
    if (!digits) fail(path, "corrupt PGM/PPM header");
    return v;
  };
  const int src_ch = b[1] == '5' ? 1 : 3;
  const int64_t w = token(), h = token(), maxval = token();
  if (maxval < 1 || maxval > 65535) fail(path, "corrupt PGM/PPM header (maxval " + std::to_string(maxval) + ")");
  check_size(w, h, o, path);
  RawImage result{static_cast<int>(w), static_cast<int>(h), 0, {}};
  if (header_only) return result;
  ++pos;  // the single whitespace byte after maxval
  const int bytes_per = maxval > 255 ? 2 : 1;
  const size_t n = static_cast<size_t>(w) * h * src_ch;
  if (pos + n * bytes_per > b.size()) fail(path, "truncated PGM/PPM (pixel data ends early)");
  std::vector<uint8_t> buf(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t p = pos + i * bytes_per;
    const int64_t v = bytes_per == 1 ? static_cast<uint8_t>(b[p])
                                     : static_cast<uint8_t>(b[p]) << 8 | static_cast<uint8_t>(b[p + 1]);
    buf[i] = static_cast<uint8_t>((std::min(v, maxval) * 255 + maxval / 2) / maxval);
  }
  return convert(static_cast<int>(w), static_cast<int>(h), src_ch, std::move(buf), o);
}

RawImage dispatch(const std::string& bytes, const std::string& path, const DecodeOptions& o,
                  bool header_only, std::string* format) {
  if (o.channels != 1 && o.channels != 3) throw InputError("image channels must be 1 or 3, not " + std::to_string(o.channels));
  if (bytes.empty()) fail(path, "empty file (0 bytes)");
  const std::string f = format_of(bytes);
  if (format) *format = f;
  if (f == "png") return png_decode(bytes, path, o, header_only);
  if (f == "jpeg") return jpeg_decode(bytes, path, o, header_only);
  if (f == "bmp") return bmp_decode(bytes, path, o, header_only);
  if (f == "pnm") return pnm_decode(bytes, path, o, header_only);
  fail(path, "not an image aekit reads (PNG, JPEG, BMP, binary PGM/PPM)");
}

}  // namespace

bool has_image_extension(const std::string& path) {
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* e : {"png", "jpg", "jpeg", "bmp", "pgm", "ppm", "pnm"})
    if (ext == e) return true;
  return false;
}

ImageHeader read_image_header(const std::string& bytes, const std::string& path) {
  std::string format;
  const RawImage r = dispatch(bytes, path, DecodeOptions{}, true, &format);
  return {r.width, r.height, format};
}

RawImage decode_image(const std::string& bytes, const std::string& path, const DecodeOptions& options) {
  return dispatch(bytes, path, options, false, nullptr);
}

RawImage read_image(const std::string& path, const DecodeOptions& options) {
  return decode_image(io::read_file(path), path, options);
}

}  // namespace aekit::data
