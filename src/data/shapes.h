// Synthetic shapes with known generative factors, in the spirit of dSprites (Matthey et al.
// 2017), for measuring disentanglement: binary 64x64 images of one white shape on black.
//
// Factors and their values (index -> value):
//   shape     3   square, ellipse, heart
//   scale     6   circumradius 15 * (0.5 + 0.1 i) pixels, i.e. 7.5 .. 15 px
//   rotation 10   2 pi i / 10 counter-clockwise (the square repeats every 90 deg and the ellipse
//                 every 180 deg, so some rotations of them give the same image, as in dSprites)
//   x, y     16   centre at 17 + 2 i pixels from the left / top edge
// Every shape fits its circumradius under any rotation, so shapes never touch the border, and the
// position steps are whole pixels, so changing x or y alone shifts the image exactly. A pixel is
// 1 when its centre lies inside the shape (no anti-aliasing).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::data {

struct ShapesFactors {
  int shape = 0, scale = 0, rotation = 0, x = 0, y = 0;
};

struct ShapesSet {
  Tensor x;  // [N, 1, 64, 64], values 0 or 1
  std::vector<ShapesFactors> factors;
};

inline constexpr int kShapesSize = 64;

// Number of values of each factor, in the order shape, scale, rotation, x, y.
std::array<int, 5> factor_sizes();
std::array<std::string, 5> factor_names();

// Factor i of f in the order of factor_sizes(), and f with factor i set to v.
int factor(const ShapesFactors& f, int i);
void set_factor(ShapesFactors& f, int i, int v);

// One image as a batch of one, [1, 1, 64, 64]. Out-of-range factors are an InputError.
Tensor render_shape(const ShapesFactors& f);
// All of them, [N, 1, 64, 64].
Tensor render_shapes(const std::vector<ShapesFactors>& fs);

// n images with every factor drawn uniformly and independently from Rng(seed).
ShapesSet make_shapes(int64_t n, uint64_t seed);

}  // namespace aekit::data
