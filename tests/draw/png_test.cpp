#include "draw/png.h"

#include <gtest/gtest.h>
#include <png.h>

#include <string>

#include "io/atomic_file.h"
#include "draw/draw_test_util.h"
#include "tensor/error.h"

namespace aekit::draw {
namespace {

using testing::TempDir;

Image pattern(int w, int h, int channels) {
  Image img = make_image(w, h, channels);
  for (size_t i = 0; i < img.pixels.size(); ++i)
    img.pixels[i] = static_cast<uint8_t>(i * 37 + i / 7);
  return img;
}

// Encodes with libpng's simplified API, to produce the input kinds we never write ourselves.
std::string encode_with_format(const void* pixels, int w, int h, png_uint_32 format,
                               const void* colormap = nullptr, int colormap_entries = 0) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = w;
  image.height = h;
  image.format = format;
  image.colormap_entries = colormap_entries;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_get_memory_size(image, size, 0, pixels, 0, colormap));
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0, pixels, 0, colormap));
  out.resize(size);
  return out;
}

void expect_input_error_naming(const std::string& path, const std::string& what) {
  try {
    read_png(path);
    ADD_FAILURE() << "read_png(" << path << ") did not throw";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(Png, GreyRoundTripKeepsEveryPixel) {
  TempDir dir("png_grey");
  const Image img = pattern(13, 7, 1);
  write_png(dir.file("g.png"), img);
  const Image back = read_png(dir.file("g.png"));
  EXPECT_EQ(back.width, 13);
  EXPECT_EQ(back.height, 7);
  EXPECT_EQ(back.channels, 1);
  EXPECT_EQ(back.pixels, img.pixels);
}

TEST(Png, RgbRoundTripKeepsEveryPixel) {
  TempDir dir("png_rgb");
  const Image img = pattern(5, 11, 3);
  write_png(dir.file("c.png"), img);
  const Image back = read_png(dir.file("c.png"));
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 11);
  EXPECT_EQ(back.channels, 3);
  EXPECT_EQ(back.pixels, img.pixels);
  EXPECT_FALSE(std::filesystem::exists(dir.file("c.png.tmp." + std::to_string(::getpid()))));
}

TEST(Png, EncodingIsDeterministic) {
  const Image img = pattern(20, 20, 3);
  EXPECT_EQ(encode_png(img), encode_png(img));
}

TEST(Png, RejectsTextFileNamingThePath) {
  TempDir dir("png_text");
  const std::string path = dir.file("notes.png");
  io::write_file_atomic(path, "this is a text file, not an image\n");
  expect_input_error_naming(path, "not a PNG file");
  io::write_file_atomic(path, "");
  expect_input_error_naming(path, "not a PNG file");
}

TEST(Png, RejectsTruncatedFileNamingThePath) {
  TempDir dir("png_trunc");
  const std::string bytes = encode_png(pattern(64, 64, 3));
  const std::string path = dir.file("cut.png");
  for (size_t keep : {size_t{20}, bytes.size() / 2, bytes.size() - 12 /* no IEND */}) {
    io::write_file_atomic(path, bytes.substr(0, keep));
    expect_input_error_naming(path, "corrupt PNG");
  }
}

TEST(Png, RejectsCorruptedData) {
  std::string bytes = encode_png(pattern(32, 32, 1));
  bytes[bytes.size() / 2] ^= 0x5a;  // inside IDAT: CRC mismatch
  EXPECT_THROW(decode_png(bytes, "x.png"), InputError);
}

TEST(Png, MissingFileIsInputError) {
  TempDir dir("png_missing");
  EXPECT_THROW(read_png(dir.file("nope.png")), InputError);
}

TEST(Png, AlphaIsCompositedOntoWhite) {
  const uint8_t rgba[] = {255, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 128};
  const Image img = decode_png(encode_with_format(rgba, 3, 1, PNG_FORMAT_RGBA), "a.png");
  ASSERT_EQ(img.channels, 3);
  const std::vector<uint8_t> want = {255, 255, 255, 0, 0, 255, 127, 127, 127};
  EXPECT_EQ(img.pixels, want);

  const uint8_t ga[] = {10, 255, 200, 0};
  const Image grey = decode_png(encode_with_format(ga, 2, 1, PNG_FORMAT_GA), "ga.png");
  ASSERT_EQ(grey.channels, 1);
  EXPECT_EQ(grey.pixels, (std::vector<uint8_t>{10, 255}));
}

TEST(Png, SixteenBitGreyIsScaledToEightBits) {
  const uint16_t grey16[] = {0, 65535, 32896};  // 32896 = 128 * 257
  const Image img = decode_png(encode_with_format(grey16, 3, 1, PNG_FORMAT_LINEAR_Y), "g16.png");
  ASSERT_EQ(img.channels, 1);
  EXPECT_EQ(img.pixels[0], 0);
  EXPECT_EQ(img.pixels[1], 255);
  EXPECT_EQ(img.pixels[2], 128);  // scaled, no gamma applied
}

TEST(Png, PaletteBecomesRgb) {
  const uint8_t colormap[] = {255, 0, 0, 0, 128, 255};
  const uint8_t index[] = {1, 0, 1, 1};
  const Image img =
      decode_png(encode_with_format(index, 2, 2, PNG_FORMAT_RGB_COLORMAP, colormap, 2), "pal.png");
  ASSERT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{0, 128, 255, 255, 0, 0, 0, 128, 255, 0, 128, 255}));
}

TEST(Png, ToGreyUsesLumaWeights) {
  Image rgb = make_image(4, 1, 3);
  rgb.pixels = {255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255};
  const Image g = to_grey(rgb);
  ASSERT_EQ(g.channels, 1);
  EXPECT_EQ(g.pixels, (std::vector<uint8_t>{255, 76, 150, 29}));
  EXPECT_EQ(to_grey(g).pixels, g.pixels);
}

TEST(Png, ResizeSameSizeIsIdentity) {
  const Image img = pattern(9, 6, 3);
  EXPECT_EQ(resize_bilinear(img, 9, 6).pixels, img.pixels);
}

TEST(Png, ResizeUpInterpolatesBetweenPixelCentres) {
  Image img = make_image(2, 1, 1);
  img.pixels = {0, 255};
  const Image up = resize_bilinear(img, 4, 1);
  EXPECT_EQ(up.pixels, (std::vector<uint8_t>{0, 64, 191, 255}));
}

TEST(Png, ResizeDownAveragesEverySourcePixel) {
  Image img = make_image(4, 1, 1);
  img.pixels = {0, 0, 255, 255};
  EXPECT_EQ(resize_bilinear(img, 2, 1).pixels, (std::vector<uint8_t>{36, 219}));

  // A one-pixel-wide stripe must survive a 10x shrink (plain 4-tap bilinear can miss it).
  Image stripes = make_image(280, 280, 1, 0);
  for (int y = 0; y < 280; ++y) *stripes.at(143, y) = 255;
  const Image small = resize_bilinear(stripes, 28, 28);
  EXPECT_GT(*small.at(14, 14), 5);

  const Image flat = resize_bilinear(make_image(100, 60, 3, 77), 28, 28);
  for (uint8_t v : flat.pixels) ASSERT_EQ(v, 77);
}

}  // namespace
}  // namespace aekit::draw
