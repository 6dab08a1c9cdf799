#include "eval/interpolation.h"

#include <algorithm>
#include <cmath>

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

Tensor spherical_walk(const Tensor& a, const Tensor& b, int steps) {
  require(steps >= 2, "an interpolation needs at least 2 steps, got " + std::to_string(steps));
  require(a.size() == b.size(), "interpolation: codes of different sizes");
  const int64_t L = a.size();
  double dot = 0, na = 0, nb = 0;
  for (int64_t j = 0; j < L; ++j) {
    dot += double(a[j]) * b[j];
    na += double(a[j]) * a[j];
    nb += double(b[j]) * b[j];
  }
  if (na == 0 || nb == 0) return linear_walk(a, b, steps);
  const double omega = std::acos(std::clamp(dot / std::sqrt(na * nb), -1.0, 1.0));
  const double so = std::sin(omega);
  if (so < 1e-6) return linear_walk(a, b, steps);
  Tensor z({steps, L});
  for (int s = 0; s < steps; ++s) {
    const double t = static_cast<double>(s) / (steps - 1);
    const double wa = std::sin((1 - t) * omega) / so, wb = std::sin(t * omega) / so;
    for (int64_t j = 0; j < L; ++j) z[s * L + j] = static_cast<float>(wa * a[j] + wb * b[j]);
  }
  return z;
}

}  // namespace aekit::eval
