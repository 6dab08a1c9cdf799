#include "draw/image_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "draw/draw_test_util.h"
#include "draw/text.h"
#include "tensor/error.h"

namespace aekit::draw {
namespace {

using testing::pixel;

// Sample k's pixel (i, j) = a value unique across the batch.
Tensor numbered(Shape shape) {
  Tensor t(shape);
  const float n = static_cast<float>(t.size());
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i) / n;
  return t;
}

uint8_t byte_of(float v) { return static_cast<uint8_t>(std::lround(v * 255.0f)); }

TEST(ImageGrid, PlacesEverySamplePixelWhereExpected) {
  const int N = 5, H = 3, W = 4, rows = 2, cols = 3, pad = 2, scale = 2;
  const Tensor t = numbered({N, H, W});
  const Image img = image_grid(t, rows, cols, pad, scale);
  ASSERT_EQ(img.channels, 1);
  ASSERT_EQ(img.width, cols * W * scale + (cols + 1) * pad);   // 32
  ASSERT_EQ(img.height, rows * H * scale + (rows + 1) * pad);  // 18

  std::vector<bool> covered(img.pixels.size(), false);
  for (int k = 0; k < N; ++k)
    for (int i = 0; i < H; ++i)
      for (int j = 0; j < W; ++j) {
        const int x = pad + (k % cols) * (W * scale + pad) + j * scale;
        const int y = pad + (k / cols) * (H * scale + pad) + i * scale;
        const uint8_t want = byte_of(t[(k * H + i) * W + j]);
        for (int dy = 0; dy < scale; ++dy)
          for (int dx = 0; dx < scale; ++dx) {
            ASSERT_EQ(*img.at(x + dx, y + dy), want) << "k=" << k << " i=" << i << " j=" << j;
            covered[size_t(y + dy) * img.width + x + dx] = true;
          }
      }
  // Everything else (gaps, border, the empty sixth cell) is padding.
  for (size_t p = 0; p < img.pixels.size(); ++p) {
    if (covered[p]) continue;
    ASSERT_EQ(img.pixels[p], kGridPadValue) << "pixel " << p;
  }
}

TEST(ImageGrid, ChannelAxisOfOneIsAccepted) {
  Tensor a = numbered({4, 5, 6});
  Tensor b = a;
  b.reshape({4, 1, 5, 6});
  EXPECT_EQ(image_grid(a, 2, 2).pixels, image_grid(b, 2, 2).pixels);
}

TEST(ImageGrid, ClampsAndDrawsNanAsBlack) {
  Tensor t({1, 1, 4}, {-0.5f, 2.0f, std::numeric_limits<float>::quiet_NaN(), 0.5f});
  const Image img = image_grid(t, 1, 1, 0, 1);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{0, 255, 0, 128}));
}

TEST(ImageGrid, AutoRowsAndSurplusSamples) {
  const Tensor t = numbered({7, 2, 2});
  EXPECT_EQ(image_grid(t, 0, 3, 1).height, 3 * 2 + 4 * 1);  // 7 samples need 3 rows
  const Image two = image_grid(t, 1, 2, 1);                 // only samples 0 and 1 fit
  EXPECT_EQ(two.width, 2 * 2 + 3);
  EXPECT_EQ(*two.at(1 + 2 + 1, 1), byte_of(t[4]));
}

TEST(ImageGrid, RejectsOtherShapes) {
  EXPECT_THROW(image_grid(Tensor({2, 2, 4, 4}), 1, 2), InputError);  // 1 or 3 channels only
  EXPECT_THROW(image_grid(Tensor({16}), 1, 2), InputError);
  EXPECT_THROW(image_grid(Tensor({2, 0, 4}), 1, 2), InputError);
}

// Where the grey grid appears inside the RGB figure, or (-1, -1).
std::pair<int, int> find(const Image& fig, const Image& grid) {
  for (int y = 0; y + grid.height <= fig.height; ++y)
    for (int x = 0; x + grid.width <= fig.width; ++x) {
      bool same = true;
      for (int i = 0; i < grid.height && same; ++i)
        for (int j = 0; j < grid.width && same; ++j) {
          const uint8_t g = *grid.at(j, i);
          same = pixel(fig, x + j, y + i) == Color{g, g, g};
        }
      if (same) return {x, y};
    }
  return {-1, -1};
}

TEST(ImageGrid, LabeledRowsStackRowsUnderOneAnother) {
  Tensor original = numbered({3, 5, 5});
  Tensor recon = original;
  for (auto& v : recon) v = 1.0f - v;
  const Image fig = labeled_rows({{"original", original}, {"reconstruction", recon}}, 2);
  ASSERT_EQ(fig.channels, 3);

  const auto [ox, oy] = find(fig, image_grid(original, 1, 3, 2, 2));
  const auto [rx, ry] = find(fig, image_grid(recon, 1, 3, 2, 2));
  ASSERT_GE(ox, 0);
  ASSERT_GE(rx, 0);
  EXPECT_EQ(ox, rx);  // columns line up
  EXPECT_GE(ry, oy + 5 * 2 + 4);
  // The labels sit left of the images: dark text pixels there.
  long dark = 0;
  for (int y = 0; y < fig.height; ++y)
    for (int x = 0; x < ox; ++x) dark += pixel(fig, x, y).r < 100;
  EXPECT_GT(dark, 40);
  EXPECT_GE(ox, measure_text("reconstruction", TextStyle{12}).width);
}

TEST(ImageGrid, ColourImagesKeepTheirChannels) {
  // Two 2x3 RGB images, planes [C,H,W]: red plane 1, green 0.5, blue 0 in the first; the second
  // has a blue pixel at (x=2, y=1).
  Tensor x({2, 3, 2, 3});
  for (int i = 0; i < 6; ++i) x.data()[i] = 1.0f, x.data()[6 + i] = 0.5f;
  x.data()[18 + 12 + 1 * 3 + 2] = 1.0f;
  const Image img = image_grid(x, 1, 2, 1, 1);
  ASSERT_EQ(img.channels, 3);
  EXPECT_EQ(img.width, 2 * 3 + 3);
  const uint8_t* p = img.at(1, 1);
  EXPECT_EQ((std::vector<int>{p[0], p[1], p[2]}), (std::vector<int>{255, 128, 0}));
  const uint8_t* q = img.at(1 + 3 + 1 + 2, 1 + 1);
  EXPECT_EQ((std::vector<int>{q[0], q[1], q[2]}), (std::vector<int>{0, 0, 255}));
  EXPECT_TRUE(is_colour_images(x));
  EXPECT_FALSE(is_colour_images(Tensor({2, 1, 2, 3})));
  EXPECT_THROW(image_grid(Tensor({1, 2, 2, 2}), 1, 1), InputError);  // two channels: not an image

  // Labelled rows (reconstructions, denoising, interpolation figures) keep the colour too.
  const Image rows = labeled_rows({{"x", x}}, 1);
  bool orange = false, blue = false;
  for (int y = 0; y < rows.height; ++y)
    for (int xx = 0; xx < rows.width; ++xx) {
      const uint8_t* r = rows.at(xx, y);
      orange |= r[0] == 255 && r[1] == 128 && r[2] == 0;
      blue |= r[0] == 0 && r[1] == 0 && r[2] == 255;
    }
  EXPECT_TRUE(orange);
  EXPECT_TRUE(blue);
}

}  // namespace
}  // namespace aekit::draw
