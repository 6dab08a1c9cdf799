// Walks between two codes in `steps` points (steps >= 2): the straight line a -> b, and the
// spherical path (slerp), which keeps a Gaussian prior's codes at a typical norm along the way.
#pragma once
#include "tensor/tensor.h"

namespace aekit::eval {

// a, b: one code each (same size L). Returns [steps, L]; row s is a + (b - a) * s / (steps - 1).
Tensor linear_walk(const Tensor& a, const Tensor& b, int steps);
// Row s is slerp(a, b, t = s / (steps - 1)) = sin((1 - t) w) / sin w * a + sin(t w) / sin w * b,
// w the angle between a and b; nearly parallel codes (sin w < 1e-6) or a zero code fall back to
// the straight line, where slerp's limit is.
Tensor spherical_walk(const Tensor& a, const Tensor& b, int steps);

}  // namespace aekit::eval
