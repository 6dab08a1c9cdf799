#include "data/shapes.h"

#include <gtest/gtest.h>

#include <set>

#include "tensor/error.h"

namespace aekit::data {
namespace {

constexpr int S = kShapesSize;

int64_t pixels_on(const Tensor& img) {
  int64_t n = 0;
  for (float v : img) n += v != 0;
  return n;
}

TEST(Shapes, FactorSizesAndAccessors) {
  EXPECT_EQ(factor_sizes(), (std::array<int, 5>{3, 6, 10, 16, 16}));
  ShapesFactors f{2, 5, 9, 15, 0};
  for (int i = 0; i < 5; ++i) set_factor(f, i, factor(f, i) == 0 ? 1 : factor(f, i) - 1);
  EXPECT_EQ(factor(f, 0), 1);
  EXPECT_EQ(factor(f, 1), 4);
  EXPECT_EQ(factor(f, 2), 8);
  EXPECT_EQ(factor(f, 3), 14);
  EXPECT_EQ(factor(f, 4), 1);
}

TEST(Shapes, MakeShapesIsDeterministicPerSeed) {
  const ShapesSet a = make_shapes(200, 11), b = make_shapes(200, 11), c = make_shapes(200, 12);
  ASSERT_EQ(a.x.shape(), (Shape{200, 1, S, S}));
  ASSERT_EQ(a.factors.size(), 200u);
  EXPECT_EQ(a.x.to_vector(), b.x.to_vector());
  EXPECT_NE(a.x.to_vector(), c.x.to_vector());
  std::array<std::set<int>, 5> seen;
  for (int64_t i = 0; i < 200; ++i) {
    for (int k = 0; k < 5; ++k) {
      EXPECT_EQ(factor(a.factors[i], k), factor(b.factors[i], k));
      seen[k].insert(factor(a.factors[i], k));
    }
    const Tensor one = render_shape(a.factors[i]);
    EXPECT_TRUE(std::equal(one.begin(), one.end(), a.x.data() + i * S * S)) << "sample " << i;
  }
  for (int k = 0; k < 5; ++k) EXPECT_EQ(static_cast<int>(seen[k].size()), factor_sizes()[k]) << factor_names()[k];
  for (float v : a.x) ASSERT_TRUE(v == 0.0f || v == 1.0f);
}

// The largest shapes at the extreme positions, in every rotation, leave the border ring empty;
// the smallest still cover pixels.
TEST(Shapes, ShapesStayInsideTheImage) {
  for (int shape = 0; shape < 3; ++shape)
    for (int rot = 0; rot < 10; ++rot)
      for (int pos : {0, 15}) {
        const Tensor big = render_shape({shape, 5, rot, pos, 15 - pos});
        for (int i = 0; i < S; ++i) {
          ASSERT_EQ(big[i], 0.0f);
          ASSERT_EQ(big[(S - 1) * S + i], 0.0f);
          ASSERT_EQ(big[i * S], 0.0f);
          ASSERT_EQ(big[i * S + S - 1], 0.0f);
        }
        EXPECT_GT(pixels_on(render_shape({shape, 0, rot, pos, pos})), 50);
      }
}

TEST(Shapes, ChangingOnlyXShiftsTheImage) {
  for (int shape = 0; shape < 3; ++shape) {
    const ShapesFactors f{shape, 3, 7, 4, 9};
    ShapesFactors g = f;
    g.x = 9;  // 5 steps of 2 pixels
    const Tensor a = render_shape(f), b = render_shape(g);
    ASSERT_EQ(pixels_on(a), pixels_on(b));
    for (int row = 0; row < S; ++row)
      for (int col = 0; col < S; ++col) ASSERT_EQ(b[row * S + col], col >= 10 ? a[row * S + col - 10] : 0.0f);
    ShapesFactors h = f;
    h.y = 10;  // one step down
    const Tensor d = render_shape(h);
    for (int row = 2; row < S; ++row)
      for (int col = 0; col < S; ++col) ASSERT_EQ(d[row * S + col], a[(row - 2) * S + col]);
  }
}

TEST(Shapes, ShapeScaleAndRotationChangeTheImage) {
  const Tensor sq = render_shape({0, 5, 1, 8, 8}), el = render_shape({1, 5, 1, 8, 8}), he = render_shape({2, 5, 1, 8, 8});
  EXPECT_NE(sq.to_vector(), el.to_vector());
  EXPECT_NE(sq.to_vector(), he.to_vector());
  EXPECT_NE(el.to_vector(), he.to_vector());
  for (int shape = 0; shape < 3; ++shape) {
    for (int scale = 1; scale < 6; ++scale)
      EXPECT_GT(pixels_on(render_shape({shape, scale, 0, 8, 8})), pixels_on(render_shape({shape, scale - 1, 0, 8, 8})));
    EXPECT_NE(render_shape({shape, 5, 0, 8, 8}).to_vector(), render_shape({shape, 5, 1, 8, 8}).to_vector());
  }
  // Square area 2 r^2 at r = 15: 450 pixels, give or take the rasterised edge.
  EXPECT_NEAR(pixels_on(render_shape({0, 5, 0, 8, 8})), 450, 50);
  // The heart has no rotational symmetry: a half turn changes it; rotation 0 points its tip down.
  EXPECT_NE(render_shape({2, 5, 0, 8, 8}).to_vector(), render_shape({2, 5, 5, 8, 8}).to_vector());
  const Tensor up = render_shape({2, 5, 0, 8, 8});
  int64_t top = 0, bottom = 0;
  for (int row = 0; row < S; ++row)
    for (int col = 0; col < S; ++col) (row < 33 ? top : bottom) += up[row * S + col] != 0;
  EXPECT_GT(top, bottom);
}

// Across all shapes, scales and rotations at one position, only the symmetric shapes repeat:
// the square and the ellipse look the same half a turn round.
TEST(Shapes, OnlySymmetricRotationsRepeat) {
  std::set<std::vector<float>> distinct;
  for (int shape = 0; shape < 3; ++shape)
    for (int scale = 0; scale < 6; ++scale)
      for (int rot = 0; rot < 10; ++rot) distinct.insert(render_shape({shape, scale, rot, 5, 9}).to_vector());
  EXPECT_EQ(distinct.size(), 180u - 2 * 6 * 5);
}

TEST(Shapes, RejectsBadFactors) {
  EXPECT_THROW(render_shape({3, 0, 0, 0, 0}), InputError);
  EXPECT_THROW(render_shape({0, 6, 0, 0, 0}), InputError);
  EXPECT_THROW(render_shape({0, 0, -1, 0, 0}), InputError);
  EXPECT_THROW(render_shape({0, 0, 0, 16, 0}), InputError);
  EXPECT_THROW(make_shapes(-1, 0), InputError);
  EXPECT_EQ(make_shapes(0, 0).x.shape(), (Shape{0, 1, S, S}));
}

}  // namespace
}  // namespace aekit::data
