#include "draw/png.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::draw {

namespace {

// libpng reports errors by longjmp. The functions that call setjmp below keep only trivially
// destructible locals and reach all C++ objects through pointers owned by their callers, so the
// jump never skips a destructor; the callers turn a failure into an exception afterwards.

// Larger sides are refused before allocating (a 16384-pixel side already covers phone photos).
constexpr png_uint_32 kMaxSide = 16384;

struct ErrorSink {
  char message[200];
};

void on_error(png_structp png, png_const_charp msg) {
  auto* sink = static_cast<ErrorSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, sizeof sink->message, "%s", msg);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // e.g. odd colour profiles: not our concern

struct ReadJob {
  ErrorSink err;
  const unsigned char* data;
  size_t size;
  size_t pos;
  Image* out;
  std::vector<png_bytep>* rows;
};

void read_bytes(png_structp png, png_bytep dst, size_t n) {
  auto* job = static_cast<ReadJob*>(png_get_io_ptr(png));
  if (n > job->size - job->pos) png_error(png, "file is truncated");
  std::memcpy(dst, job->data + job->pos, n);
  job->pos += n;
}

// Decodes into job->out with 1..4 channels (alpha still present). False on error.
bool decode_raw(ReadJob* job) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job->err, on_error, on_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, job, read_bytes);
  png_set_user_limits(png, kMaxSide, kMaxSide);
  png_read_info(png, info);

  png_uint_32 width = 0, height = 0;
  int depth = 0, color_type = 0;
  png_get_IHDR(png, info, &width, &height, &depth, &color_type, nullptr, nullptr, nullptr);
  if (depth == 16) png_set_scale_16(png);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const int channels = png_get_channels(png, info);
  const size_t row_bytes = png_get_rowbytes(png, info);
  if (channels < 1 || channels > 4 || row_bytes != size_t{width} * channels)
    png_error(png, "unsupported pixel layout");

  bool allocated = true;
  try {
    job->out->width = static_cast<int>(width);
    job->out->height = static_cast<int>(height);
    job->out->channels = channels;
    job->out->pixels.assign(row_bytes * height, 0);
    job->rows->resize(height);
  } catch (...) {
    allocated = false;
  }
  if (!allocated) png_error(png, "image too large for memory");
  for (png_uint_32 y = 0; y < height; ++y)
    (*job->rows)[y] = job->out->pixels.data() + row_bytes * y;
  png_read_image(png, job->rows->data());
  png_read_end(png, nullptr);  // also checks the trailing chunks' CRCs
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

struct WriteJob {
  ErrorSink err;
  const Image* img;
  std::string* out;
};

void write_bytes(png_structp png, png_bytep src, size_t n) {
  auto* job = static_cast<WriteJob*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    job->out->append(reinterpret_cast<const char*>(src), n);
  } catch (...) {
    ok = false;
  }
  if (!ok) png_error(png, "out of memory");
}

void flush_bytes(png_structp) {}

bool encode_raw(WriteJob* job) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &job->err, on_error, on_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  const Image& img = *job->img;
  png_set_write_fn(png, job, write_bytes, flush_bytes);
  png_set_IHDR(png, info, img.width, img.height, 8,
               img.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const size_t stride = size_t(img.width) * img.channels;
  for (int y = 0; y < img.height; ++y) png_write_row(png, img.pixels.data() + stride * y);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

void check_image(const Image& img, const char* who) {
  if (img.width < 0 || img.height < 0 || (img.channels != 1 && img.channels != 3) ||
      img.pixels.size() != size_t(img.width) * img.height * img.channels)
    throw std::invalid_argument(std::string(who) + ": malformed image " +
                                std::to_string(img.width) + "x" + std::to_string(img.height) + "x" +
                                std::to_string(img.channels) + " with " +
                                std::to_string(img.pixels.size()) + " bytes");
}

}  // namespace

Image make_image(int width, int height, int channels, uint8_t fill) {
  if (width < 0 || height < 0 || (channels != 1 && channels != 3))
    throw std::invalid_argument("make_image: bad size " + std::to_string(width) + "x" +
                                std::to_string(height) + "x" + std::to_string(channels));
  Image img{width, height, channels, {}};
  img.pixels.assign(size_t(width) * height * channels, fill);
  return img;
}

std::string encode_png(const Image& img) {
  check_image(img, "encode_png");
  if (img.width == 0 || img.height == 0)
    throw std::invalid_argument("encode_png: PNG cannot hold an empty image");
  std::string out;
  WriteJob job{{"unknown libpng failure"}, &img, &out};
  if (!encode_raw(&job))
    throw std::runtime_error(std::string("PNG encoding failed: ") + job.err.message);
  return out;
}

Image decode_png(const std::string& bytes, const std::string& path) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 8 || png_sig_cmp(data, 0, 8) != 0) throw InputError(path + ": not a PNG file");
  Image raw;
  std::vector<png_bytep> rows;
  ReadJob job{{"out of memory"}, data, bytes.size(), 0, &raw, &rows};
  if (!decode_raw(&job)) throw InputError(path + ": corrupt PNG (" + job.err.message + ")");

  // Drop alpha by compositing onto white, compacting in place (the write index never passes
  // the read index).
  if (raw.channels == 2 || raw.channels == 4) {
    const int colour = raw.channels - 1;
    const size_t n = size_t(raw.width) * raw.height;
    uint8_t* p = raw.pixels.data();
    for (size_t i = 0; i < n; ++i) {
      const unsigned a = p[i * raw.channels + colour];
      for (int c = 0; c < colour; ++c) {
        const unsigned v = p[i * raw.channels + c];
        p[i * colour + c] = static_cast<uint8_t>((v * a + 255u * (255u - a) + 127u) / 255u);
      }
    }
    raw.pixels.resize(n * colour);
    raw.pixels.shrink_to_fit();
    raw.channels = colour;
  }
  return raw;
}

void write_png(const std::string& path, const Image& img) {
  io::write_file_atomic(path, encode_png(img));
}

Image read_png(const std::string& path) { return decode_png(io::read_file(path), path); }

Image to_grey(const Image& img) {
  check_image(img, "to_grey");
  if (img.channels == 1) return img;
  Image out = make_image(img.width, img.height, 1);
  const size_t n = size_t(img.width) * img.height;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = &img.pixels[i * 3];
    out.pixels[i] = static_cast<uint8_t>((299u * p[0] + 587u * p[1] + 114u * p[2] + 500u) / 1000u);
  }
  return out;
}

namespace {

// Weights of the (possibly widened) triangle filter for one output coordinate.
struct Taps {
  int first = 0;
  std::vector<float> w;
};

std::vector<Taps> filter_taps(int in, int out) {
  const double scale = double(in) / out;
  const double support = std::max(1.0, scale);  // in source pixels, each side
  std::vector<Taps> taps(out);
  for (int o = 0; o < out; ++o) {
    const double centre = (o + 0.5) * scale;  // in source coordinates, pixel i spans [i, i+1)
    const int lo = std::max(0, static_cast<int>(std::floor(centre - support)));
    const int hi = std::min(in, static_cast<int>(std::ceil(centre + support)));
    taps[o].first = lo;
    double sum = 0;
    std::vector<double> w;
    for (int i = lo; i < hi; ++i) {
      const double t = std::abs((i + 0.5 - centre) / support);
      w.push_back(std::max(0.0, 1.0 - t));
      sum += w.back();
    }
    if (sum <= 0) {  // cannot happen for in >= 1, but never divide by zero
      w.assign(1, 1.0);
      sum = 1;
      taps[o].first = std::clamp(static_cast<int>(centre), 0, in - 1);
    }
    for (double v : w) taps[o].w.push_back(static_cast<float>(v / sum));
  }
  return taps;
}

}  // namespace

Image resize_bilinear(const Image& img, int width, int height) {
  check_image(img, "resize_bilinear");
  if (img.width == 0 || img.height == 0 || width <= 0 || height <= 0)
    throw std::invalid_argument("resize_bilinear: cannot resize " + std::to_string(img.width) +
                                "x" + std::to_string(img.height) + " to " + std::to_string(width) +
                                "x" + std::to_string(height));
  const int ch = img.channels;
  const auto tx = filter_taps(img.width, width);
  const auto ty = filter_taps(img.height, height);

  // Horizontal pass into floats, then vertical pass with rounding.
  std::vector<float> mid(size_t(img.height) * width * ch);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < ch; ++c) {
        float acc = 0;
        for (size_t k = 0; k < tx[x].w.size(); ++k)
          acc += tx[x].w[k] * img.at(tx[x].first + int(k), y)[c];
        mid[(size_t(y) * width + x) * ch + c] = acc;
      }
  Image out = make_image(width, height, ch);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < ch; ++c) {
        float acc = 0;
        for (size_t k = 0; k < ty[y].w.size(); ++k)
          acc += ty[y].w[k] * mid[(size_t(ty[y].first + int(k)) * width + x) * ch + c];
        out.at(x, y)[c] = static_cast<uint8_t>(std::clamp(std::lround(acc), 0L, 255L));
      }
  return out;
}

}  // namespace aekit::draw
