// n floats uniform in [-1, 1) from rng: test inputs for kernels that take raw arrays.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/rng.h"

namespace aekit::testing {

inline std::vector<float> random_values(int64_t n, Rng& rng) {
  std::vector<float> v(n);
  for (float& x : v) x = 2 * rng.uniform() - 1;
  return v;
}

}  // namespace aekit::testing
