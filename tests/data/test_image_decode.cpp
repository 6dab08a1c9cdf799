#include "data/image_decode.h"

#include <gtest/gtest.h>

#include <cmath>

#include "image_test_util.h"

namespace aekit::data {
namespace {
using namespace datatest;

DecodeOptions opts(int channels, std::array<uint8_t, 3> background = {255, 255, 255}) {
  DecodeOptions o;
  o.channels = channels, o.background = background;
  return o;
}

TEST(ImageDecode, Rgb8PngRoundTripsExactly) {
  const auto rgb = pattern_rgb(5, 4, 1);
  const RawImage img = decode_image(png_rgb8(5, 4, rgb), "a.png");
  EXPECT_EQ(img.width, 5);
  EXPECT_EQ(img.height, 4);
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels, rgb);
}

TEST(ImageDecode, SixteenBitPngIsRoundedToEightBits) {
  // 0x12FF -> 0x12FF * 255 / 65535 = 19.0 (rounds to 19); the high byte alone would give 18.
  const std::vector<uint16_t> grey = {0x0000, 0xFFFF, 0x12FF, 0x8080};
  const RawImage img = decode_image(png_bytes(2, 2, 1, 16, grey), "g16.png", opts(1));
  ASSERT_EQ(img.pixels.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(img.pixels[i], std::lround(grey[i] * 255.0 / 65535.0)) << i;
}

TEST(ImageDecode, AlphaIsCompositedOnTheStatedBackground) {
  // RGBA pixels: opaque red, fully transparent, half-transparent blue.
  const std::vector<uint16_t> rgba = {255, 0, 0, 255, 10, 20, 30, 0, 0, 0, 255, 128, 0, 0, 0, 255};
  const std::string bytes = png_bytes(2, 2, 4, 8, rgba);
  const RawImage white = decode_image(bytes, "a.png");
  EXPECT_EQ(std::vector<uint8_t>(white.pixels.begin(), white.pixels.begin() + 9),
            (std::vector<uint8_t>{255, 0, 0, 255, 255, 255, 127, 127, 255}));
  const RawImage black = decode_image(bytes, "a.png", opts(3, {0, 0, 0}));
  EXPECT_EQ(std::vector<uint8_t>(black.pixels.begin(), black.pixels.begin() + 9),
            (std::vector<uint8_t>{255, 0, 0, 0, 0, 0, 0, 0, 128}));
}

TEST(ImageDecode, ColourToGreyUsesRec601Luma) {
  const std::vector<uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30};
  const RawImage g = decode_image(png_rgb8(2, 2, rgb), "c.png", opts(1));
  EXPECT_EQ(g.pixels, (std::vector<uint8_t>{76, 150, 29, 124}));  // 0.299 R + 0.587 G + 0.114 B
}

TEST(ImageDecode, GreyImageExpandsToThreeEqualChannels) {
  const RawImage img = decode_image(png_bytes(2, 2, 1, 8, {7, 200, 0, 255}), "g.png", opts(3));
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{7, 7, 7, 200, 200, 200, 0, 0, 0, 255, 255, 255}));
}

TEST(ImageDecode, JpegDecodesCloseToItsSource) {
  const auto rgb = pattern_rgb(32, 24, 2);
  const RawImage img = decode_image(jpeg_bytes(32, 24, 3, rgb), "p.jpg");
  ASSERT_EQ(img.pixels.size(), rgb.size());
  double err = 0;
  for (size_t i = 0; i < rgb.size(); ++i) err += std::abs(int(img.pixels[i]) - int(rgb[i]));
  EXPECT_LT(err / rgb.size(), 4.0);  // lossy, but a smooth pattern at quality 95 is close
}

TEST(ImageDecode, BmpAndPnmDecodeExactly) {
  const auto rgb = pattern_rgb(5, 3, 3);  // odd width: BMP rows are padded
  EXPECT_EQ(decode_image(bmp24_bytes(5, 3, rgb), "a.bmp").pixels, rgb);
  EXPECT_EQ(decode_image(pnm_bytes(5, 3, 3, 255, std::vector<uint16_t>(rgb.begin(), rgb.end())), "a.ppm").pixels, rgb);
  // 16-bit PGM: maxval 1000, value 500 -> 127.5 -> 128.
  EXPECT_EQ(decode_image(pnm_bytes(2, 2, 1, 1000, {0, 1000, 500, 4}), "a.pgm", opts(1)).pixels,
            (std::vector<uint8_t>{0, 255, 128, 1}));
}

TEST(ImageDecode, HeaderGivesSizeAndFormatWithoutDecoding) {
  const ImageHeader h = read_image_header(jpeg_bytes(16, 8, 1, std::vector<uint8_t>(128, 9)), "x.jpg");
  EXPECT_EQ(h.width, 16);
  EXPECT_EQ(h.height, 8);
  EXPECT_EQ(h.format, "jpeg");
}

TEST(ImageDecode, BadFilesAreErrorsNamingTheFile) {
  expect_input_error([] { decode_image("", "zero.png"); }, {"zero.png", "empty"});
  expect_input_error([] { decode_image("hello, this is text", "notes.png"); }, {"notes.png", "not an image"});
  const std::string png = png_rgb8(8, 8, pattern_rgb(8, 8));
  expect_input_error([&] { decode_image(png.substr(0, png.size() / 2), "half.png"); }, {"half.png", "corrupt PNG"});
  std::string flipped = png;
  flipped[45] ^= 0x55;  // inside the IDAT data: the CRC no longer matches
  expect_input_error([&] { decode_image(flipped, "crc.png"); }, {"crc.png", "corrupt PNG"});
  const std::string jpg = jpeg_bytes(64, 64, 3, pattern_rgb(64, 64));
  expect_input_error([&] { decode_image(jpg.substr(0, jpg.size() * 2 / 3), "cut.jpg"); }, {"cut.jpg", "truncated JPEG"});
  const std::string bmp = bmp24_bytes(5, 3, pattern_rgb(5, 3));
  expect_input_error([&] { decode_image(bmp.substr(0, bmp.size() - 4), "cut.bmp"); }, {"cut.bmp", "truncated BMP"});
}

TEST(ImageDecode, TinyAndHugeHeadersAreRefusedBeforeDecoding) {
  expect_input_error([] { decode_image(png_rgb8(1, 1, {1, 2, 3}), "dot.png"); }, {"dot.png", "1x1"});
  // A 100000 x 100000 header followed by no pixel data at all: the size check must speak
  // (not the allocator, not "truncated").
  std::string huge = png_rgb8(2, 2, pattern_rgb(2, 2));
  auto set_be32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) huge[at + i] = static_cast<char>(v >> (24 - 8 * i));
  };
  set_be32(16, 100000);
  set_be32(20, 100000);
  // IHDR's CRC covers the size, so fix it up (otherwise libpng rejects the chunk first).
  const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(huge.data() + 12), 17));
  set_be32(29, crc);
  expect_input_error([&] { decode_image(huge, "huge.png"); }, {"huge.png", "100000x100000", "limit"});
  std::string bmp = bmp24_bytes(2, 2, pattern_rgb(2, 2));
  for (int at : {18, 22}) bmp[at] = static_cast<char>(0xA0), bmp[at + 1] = static_cast<char>(0x86), bmp[at + 2] = 1, bmp[at + 3] = 0;
  expect_input_error([&] { decode_image(bmp, "huge.bmp"); }, {"huge.bmp", "100000x100000"});
  expect_input_error([] { decode_image("P6\n100000 100000\n255\n", "huge.ppm"); }, {"huge.ppm", "100000x100000"});
  // Found by fuzz_image: sides whose product overflows int64 (undefined behaviour in the check).
  expect_input_error([] { decode_image("P5\n599999999999 999999999999\n255\n", "overflow.pgm"); },
                     {"overflow.pgm", "599999999999x999999999999", "limit"});
}

TEST(ImageDecode, ExtensionsThatCountAsImages) {
  EXPECT_TRUE(has_image_extension("a/b/c.PNG"));
  EXPECT_TRUE(has_image_extension("x.jpeg"));
  EXPECT_TRUE(has_image_extension("x.pgm"));
  EXPECT_FALSE(has_image_extension("x.txt"));
  EXPECT_FALSE(has_image_extension("dir.png/file"));
}

}  // namespace
}  // namespace aekit::data
