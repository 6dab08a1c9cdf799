#include "draw/weight_tiles.h"

#include <gtest/gtest.h>

#include "draw/draw_test_util.h"
#include "tensor/error.h"

namespace aekit::draw {
namespace {


// Two 2x3 units: unit 0 spans [-1, 1], unit 1 spans [-0.25, 0.5].
Tensor two_units() { return Tensor({2, 6}, {-1, 0, 1, 0.5f, -0.5f, 0, -0.25f, 0, 0.5f, 0.25f, 0, 0}); }

// Tile k's pixel (i, j) with a 1-pixel pad, scale 1, tiles side by side.
uint8_t tile_pixel(const Image& img, int k, int i, int j) { return *img.at(1 + k * 4 + j, 1 + i); }

TEST(WeightTiles, SharedScaleMapsZeroToGreyAndTheLargestWeightToTheEnds) {
  const Image img = weight_tiles(two_units(), 2, 3, 2, TileScale::shared);
  ASSERT_EQ(img.width, 2 * 3 + 3);
  ASSERT_EQ(img.height, 2 + 2);
  EXPECT_EQ(tile_pixel(img, 0, 0, 0), 0);    // -1 -> black
  EXPECT_EQ(tile_pixel(img, 0, 0, 1), 128);  // 0 -> mid grey
  EXPECT_EQ(tile_pixel(img, 0, 0, 2), 255);  // +1 -> white
  EXPECT_EQ(tile_pixel(img, 1, 0, 2), 191);  // 0.5 of the shared max 1 -> 0.75
  EXPECT_EQ(tile_pixel(img, 1, 0, 0), 96);   // -0.25 -> 0.375
}

TEST(WeightTiles, PerUnitScaleStretchesEachTileToItsOwnRange) {
  const Image img = weight_tiles(two_units(), 2, 3, 2, TileScale::per_unit);
  EXPECT_EQ(tile_pixel(img, 1, 0, 2), 255);  // 0.5 is unit 1's largest |w|
  EXPECT_EQ(tile_pixel(img, 1, 0, 0), 64);   // -0.25 / 0.5 -> 0.25
  EXPECT_EQ(tile_pixel(img, 0, 1, 0), 191);  // unit 0 unchanged
}

TEST(WeightTiles, ARareHugeWeightSaturatesInsteadOfFlatteningTheRest) {
  Tensor w({1, 400});
  for (int i = 0; i < 400; ++i) w[i] = (i % 2 ? 0.1f : -0.1f);
  w[7] = 50.0f;  // one outlier: below the 99.5th percentile rank of 400 values
  const Image img = weight_tiles(w, 20, 20, 1, TileScale::shared);
  EXPECT_EQ(*img.at(1 + 7, 1), 255);  // saturated
  EXPECT_EQ(*img.at(1 + 1, 1), 255);  // 0.1 is the scale
  EXPECT_EQ(*img.at(1 + 0, 1), 0);
}

TEST(WeightTiles, WrongShapeIsAnInputError) {
  EXPECT_THROW(weight_tiles(two_units(), 3, 3, 2, TileScale::shared), InputError);
  EXPECT_THROW(weight_tiles(Tensor({6}), 2, 3, 2, TileScale::shared), InputError);
}

}  // namespace
}  // namespace aekit::draw
