#include "data/shapes.h"

#include <algorithm>
#include <cmath>

#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::data {
namespace {

constexpr std::array<int, 5> kSizes = {3, 6, 10, 16, 16};
// A radius step of 1.5 px grows the axis-aligned square by a whole pixel per side at every scale step.
constexpr double kMaxRadius = 15, kFirstCentre = 17, kStep = 2;

void check(const ShapesFactors& f) {
  for (int i = 0; i < 5; ++i)
    require(factor(f, i) >= 0 && factor(f, i) < kSizes[i], "shapes: " + factor_names()[i] + " index " +
                                                              std::to_string(factor(f, i)) + " is outside [0, " +
                                                              std::to_string(kSizes[i]) + ")");
}

// Whether (u, v) lies inside the shape in its own frame: v points up, circumradius 1.
bool inside(int shape, double u, double v) {
  switch (shape) {
    case 0:  // square of half side 1/sqrt(2)
      return std::fabs(u) <= M_SQRT1_2 && std::fabs(v) <= M_SQRT1_2;
    case 1:  // ellipse with semi-axes 1 and 1/2
      return u * u + 4 * v * v <= 1;
    default: {
      // Heart (x^2 + y^2 - 1)^3 <= x^2 y^3: its smallest enclosing circle has radius 1.25 about
      // (0, 0.25), mapped onto the unit circle.
      const double a = 1.25 * u, b = 1.25 * v + 0.25, r = a * a + b * b - 1;
      return r * r * r <= a * a * b * b * b;
    }
  }
}

void render_into(const ShapesFactors& f, float* out) {
  constexpr int S = kShapesSize;
  std::fill(out, out + S * S, 0.0f);
  const double r = kMaxRadius * (0.5 + 0.1 * f.scale), theta = 2 * M_PI * f.rotation / kSizes[2];
  const double c = std::cos(theta), s = std::sin(theta);
  const double cx = kFirstCentre + kStep * f.x, cy = kFirstCentre + kStep * f.y;
  const int lo_x = std::max(0, static_cast<int>(cx - r) - 1), hi_x = std::min(S - 1, static_cast<int>(cx + r) + 1);
  const int lo_y = std::max(0, static_cast<int>(cy - r) - 1), hi_y = std::min(S - 1, static_cast<int>(cy + r) + 1);
  for (int row = lo_y; row <= hi_y; ++row)
    for (int col = lo_x; col <= hi_x; ++col) {
      // Pixel centre relative to the shape's centre, y up, then rotated back by theta.
      const double dx = (col + 0.5) - cx, dy = cy - (row + 0.5);
      if (inside(f.shape, (c * dx + s * dy) / r, (-s * dx + c * dy) / r)) out[row * S + col] = 1.0f;
    }
}

}  // namespace

std::array<int, 5> factor_sizes() { return kSizes; }

std::array<std::string, 5> factor_names() { return {"shape", "scale", "rotation", "x", "y"}; }

int factor(const ShapesFactors& f, int i) {
  const int v[5] = {f.shape, f.scale, f.rotation, f.x, f.y};
  return v[i];
}

void set_factor(ShapesFactors& f, int i, int v) {
  int* p[5] = {&f.shape, &f.scale, &f.rotation, &f.x, &f.y};
  *p[i] = v;
}

Tensor render_shape(const ShapesFactors& f) { return render_shapes({f}); }

Tensor render_shapes(const std::vector<ShapesFactors>& fs) {
  for (const ShapesFactors& f : fs) check(f);
  const int64_t n = static_cast<int64_t>(fs.size()), S = kShapesSize;
  Tensor x({n, 1, S, S});
#pragma omp parallel for schedule(static) if (n >= 64)
  for (int64_t i = 0; i < n; ++i) render_into(fs[i], x.data() + i * S * S);
  return x;
}

ShapesSet make_shapes(int64_t n, uint64_t seed) {
  require(n >= 0, "shapes: sample count " + std::to_string(n) + " is negative");
  Rng rng(seed);
  ShapesSet set;
  set.factors.resize(n);
  for (ShapesFactors& f : set.factors)
    for (int i = 0; i < 5; ++i) set_factor(f, i, static_cast<int>(rng.below(kSizes[i])));
  set.x = render_shapes(set.factors);
  return set;
}

}  // namespace aekit::data
