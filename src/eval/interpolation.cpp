#include "eval/interpolation.h"

#include "tensor/error.h"

namespace aekit::eval {

Tensor linear_walk(const Tensor& a, const Tensor& b, int steps) {
  require(steps >= 2, "an interpolation needs at least 2 steps, got " + std::to_string(steps));
  require(a.size() == b.size(), "interpolation: codes of different sizes");
  const int64_t L = a.size();
  Tensor z({steps, L});
  for (int s = 0; s < steps; ++s) {
    const float t = static_cast<float>(s) / static_cast<float>(steps - 1);
    for (int64_t j = 0; j < L; ++j) z[s * L + j] = (1 - t) * a[j] + t * b[j];
  }
  return z;
}

}  // namespace aekit::eval
