// Walks between two codes: the linear path a -> b in `steps` points (steps >= 2), and the midpoint.
#pragma once
#include "tensor/tensor.h"

namespace aekit::eval {

// a, b: one code each (same size L). Returns [steps, L]; row s is a + (b - a) * s / (steps - 1).
Tensor linear_walk(const Tensor& a, const Tensor& b, int steps);

}  // namespace aekit::eval
