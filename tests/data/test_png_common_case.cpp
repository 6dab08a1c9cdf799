// The common-PNG reader (ISA-L inflate, our chunk walk and row filters) against libpng: the same
// pixels for every colour type, filter and IDAT split it takes, and libpng's own handling (it
// declines) for everything else and for every damaged file.
#include "data/png_common_case.h"

#include <gtest/gtest.h>

#include <cstring>
#include <tuple>

#include "data/image_decode.h"
#include "image_test_util.h"

namespace aekit::data {
namespace {
using namespace datatest;

// w x h samples with smooth areas and noise, so each filter has something to do.
std::vector<uint8_t> samples(int w, int h, int channels, uint32_t seed) {
  std::vector<uint8_t> s(static_cast<size_t>(w) * h * channels);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c) {
        seed = seed * 1664525u + 1013904223u;
        const int smooth = (x * 7 + y * 3 + c * 50) & 0xFF;
        s[(static_cast<size_t>(y) * w + x) * channels + c] = static_cast<uint8_t>(x < w / 2 ? smooth : seed >> 24);
      }
  return s;
}

// 8-bit samples written at 8 bits, or at 16 as the high byte of each sample.
std::string write_png(int w, int h, int channels, const std::vector<uint8_t>& s, const PngWriteOptions& o = {},
                      int depth = 8) {
  std::vector<uint16_t> wide(s.begin(), s.end());
  if (depth == 16)
    for (uint16_t& v : wide) v = static_cast<uint16_t>(v << 8);
  return png_bytes(w, h, channels, depth, wide, o);
}

void put_chunk(std::string& png, const char* type, const std::string& data) {
  auto be32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) png += static_cast<char>(v >> (24 - 8 * i));
  };
  be32(static_cast<uint32_t>(data.size()));
  const std::string body = type + data;
  png += body;
  be32(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

// A PNG whose rows carry the given filters (filters[y % size]), filtered here from the PNG
// specification's definitions: libpng's writer never puts Up, Average or Paeth on the first row.
std::string png_with_row_filters(int w, int h, int channels, const std::vector<uint8_t>& s, const std::vector<int>& filters) {
  const size_t stride = static_cast<size_t>(w) * channels;
  std::string raw;
  for (int y = 0; y < h; ++y) {
    const int f = filters[y % filters.size()];
    raw += static_cast<char>(f);
    for (size_t i = 0; i < stride; ++i) {
      auto at = [&](int yy, long ii) -> int { return yy < 0 || ii < 0 ? 0 : s[static_cast<size_t>(yy) * stride + ii]; };
      const long i_ = static_cast<long>(i);
      const int x = at(y, i_), a = at(y, i_ - channels), b = at(y - 1, i_), c = at(y - 1, i_ - channels);
      const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
      const int pred = f == 0 ? 0 : f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      raw += static_cast<char>((x - pred) & 0xFF);
    }
  }
  std::vector<uint8_t> z(compressBound(raw.size()));
  uLongf zn = z.size();
  if (compress(z.data(), &zn, reinterpret_cast<const Bytef*>(raw.data()), raw.size()) != Z_OK) throw std::runtime_error("compress");
  std::string png = "\x89PNG\r\n\x1a\n", ihdr;
  for (uint32_t v : {static_cast<uint32_t>(w), static_cast<uint32_t>(h)})
    for (int i = 0; i < 4; ++i) ihdr += static_cast<char>(v >> (24 - 8 * i));
  const char type[] = {0, 0, 4, 2, 6};
  ihdr += std::string{8, type[channels], 0, 0, 0};
  put_chunk(png, "IHDR", ihdr);
  put_chunk(png, "IDAT", std::string(reinterpret_cast<const char*>(z.data()), zn));
  put_chunk(png, "IEND", "");
  return png;
}

// Both readers through decode_image, to grey and to RGB: identical images.
void expect_same_as_libpng(const std::string& png, const std::string& what) {
  for (int channels : {1, 3}) {
    DecodeOptions fast, slow;
    fast.channels = slow.channels = channels;
    slow.common_png_fast_path = false;
    const RawImage a = decode_image(png, "t.png", fast), b = decode_image(png, "t.png", slow);
    ASSERT_EQ(a.width, b.width) << what;
    ASSERT_EQ(a.height, b.height) << what;
    ASSERT_EQ(a.pixels, b.pixels) << what << ", to " << channels << " channel(s)";
  }
}

TEST(PngCommonCase, EveryColourTypeAndFilterGivesLibpngsPixels) {
  const std::pair<int, const char*> filters[] = {{PNG_FILTER_NONE, "none"}, {PNG_FILTER_SUB, "sub"},
                                                 {PNG_FILTER_UP, "up"},     {PNG_FILTER_AVG, "average"},
                                                 {PNG_FILTER_PAETH, "paeth"}, {PNG_ALL_FILTERS, "adaptive"}};
  for (int channels = 1; channels <= 4; ++channels)
    for (const auto& [filter, name] : filters)
      for (const auto& [w, h] : {std::pair{37, 23}, std::pair{2, 2}, std::pair{1, 5}, std::pair{96, 80}}) {
        const std::vector<uint8_t> s = samples(w, h, channels, static_cast<uint32_t>(channels * 100 + w));
        PngWriteOptions o;
        o.filters = filter;
        const std::string png = write_png(w, h, channels, s, o);
        const std::string what = std::to_string(channels) + " channels, " + name + ", " + std::to_string(w) + "x" + std::to_string(h);
        const std::optional<PngPixels> p = decode_common_png(png, int64_t{1} << 26);
        ASSERT_TRUE(p.has_value()) << what;
        EXPECT_EQ(p->channels, channels) << what;
        EXPECT_EQ(p->pixels, s) << what;
        if (w >= 2 && h >= 2) expect_same_as_libpng(png, what);
      }
}

TEST(PngCommonCase, EveryFilterOnTheFirstRowAndInEveryOrder) {
  for (int channels = 1; channels <= 4; ++channels)
    for (int first = 0; first <= 4; ++first) {
      const std::vector<int> filters = {first, (first + 1) % 5, (first + 2) % 5, (first + 3) % 5, (first + 4) % 5};
      const std::vector<uint8_t> s = samples(13, 11, channels, static_cast<uint32_t>(first * 10 + channels));
      const std::string png = png_with_row_filters(13, 11, channels, s, filters);
      const std::string what = std::to_string(channels) + " channels, first row filter " + std::to_string(first);
      const std::optional<PngPixels> p = decode_common_png(png, int64_t{1} << 26);
      ASSERT_TRUE(p.has_value()) << what;
      EXPECT_EQ(p->pixels, s) << what;
      expect_same_as_libpng(png, what);
    }
}

TEST(PngCommonCase, AStreamSplitOverManyIdatChunksAndAPrivateChunkAreRead) {
  const std::vector<uint8_t> s = samples(64, 48, 3, 7);
  PngWriteOptions o;
  o.idat_bytes = 64;  // ~100 IDAT chunks
  o.private_chunk = true;
  const std::string png = write_png(64, 48, 3, s, o);
  ASSERT_NE(png.find("prVt"), std::string::npos);
  const std::optional<PngPixels> p = decode_common_png(png, int64_t{1} << 26);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->pixels, s);
  expect_same_as_libpng(png, "split stream");
}

TEST(PngCommonCase, OtherPngsAreLeftToLibpng) {
  const std::vector<uint8_t> s = samples(16, 12, 3, 3);
  PngWriteOptions plain, interlaced, keyed;
  interlaced.interlace = true;
  keyed.transparency_key = true;
  for (const auto& [o, depth, what] : {std::tuple{plain, 16, "16-bit"}, std::tuple{interlaced, 8, "interlaced"},
                                       std::tuple{keyed, 8, "tRNS colour key"}}) {
    const std::string png = write_png(16, 12, 3, s, o, depth);
    EXPECT_FALSE(decode_common_png(png, int64_t{1} << 26).has_value()) << what;
    expect_same_as_libpng(png, what);  // and decode_image still reads it, through libpng
  }
  const std::string png = write_png(16, 12, 3, s);
  EXPECT_FALSE(decode_common_png(png, 16 * 12 - 1).has_value()) << "over max_pixels: libpng's path names the limit";
  EXPECT_FALSE(decode_common_png(png.substr(0, png.size() - 20), int64_t{1} << 26).has_value()) << "truncated";
}

// Damage the common reader must notice (and hand to libpng, which names it): a flipped byte in
// the compressed data (the CRC catches it), the same with the CRC recomputed (zlib's checksum
// catches it), a filter byte out of range (CRC and checksum recomputed).
TEST(PngCommonCase, DamagedDataIsNeverReadAsPixels) {
  const int w = 24, h = 16;
  PngWriteOptions o;
  o.filters = PNG_FILTER_NONE;  // filter bytes are 0, findable after inflating
  o.idat_bytes = 1 << 16;       // one IDAT
  const std::string png = write_png(w, h, 3, samples(w, h, 3, 11), o);
  const size_t idat = png.find("IDAT") - 4;
  const uint32_t len = static_cast<uint32_t>(static_cast<uint8_t>(png[idat]) << 24 | static_cast<uint8_t>(png[idat + 1]) << 16 |
                                             static_cast<uint8_t>(png[idat + 2]) << 8 | static_cast<uint8_t>(png[idat + 3]));
  auto fix_crc = [&](std::string& p) {
    const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(p.data() + idat + 4), len + 4));
    for (int i = 0; i < 4; ++i) p[idat + 8 + len + i] = static_cast<char>(crc >> (24 - 8 * i));
  };
  std::string flipped = png;
  flipped[idat + 8 + len / 2] ^= 0x21;
  EXPECT_FALSE(decode_common_png(flipped, int64_t{1} << 26).has_value()) << "CRC mismatch";
  expect_input_error([&] { decode_image(flipped, "crc.png"); }, {"crc.png", "corrupt PNG"});
  fix_crc(flipped);
  EXPECT_FALSE(decode_common_png(flipped, int64_t{1} << 26).has_value()) << "zlib checksum mismatch";
  expect_input_error([&] { decode_image(flipped, "adler.png"); }, {"adler.png", "corrupt PNG"});

  // Re-deflate the rows with filter byte 9 on row 3.
  std::vector<uint8_t> rows(static_cast<size_t>(h) * (w * 3 + 1));
  uLongf n = rows.size();
  ASSERT_EQ(uncompress(rows.data(), &n, reinterpret_cast<const Bytef*>(png.data() + idat + 8), len), Z_OK);
  rows[3 * (w * 3 + 1)] = 9;
  std::vector<uint8_t> z(compressBound(rows.size()));
  uLongf zn = z.size();
  ASSERT_EQ(compress(z.data(), &zn, rows.data(), rows.size()), Z_OK);
  std::string bad = png.substr(0, idat);
  for (int i = 0; i < 4; ++i) bad += static_cast<char>(zn >> (24 - 8 * i));
  bad += "IDAT" + std::string(reinterpret_cast<const char*>(z.data()), zn) + "1234";
  bad += png.substr(idat + 12 + len);
  const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bad.data() + idat + 4), zn + 4));
  for (int i = 0; i < 4; ++i) bad[idat + 8 + zn + i] = static_cast<char>(crc >> (24 - 8 * i));
  EXPECT_FALSE(decode_common_png(bad, int64_t{1} << 26).has_value()) << "filter 9";
  expect_input_error([&] { decode_image(bad, "filter.png"); }, {"filter.png", "corrupt PNG"});
}

}  // namespace
}  // namespace aekit::data
