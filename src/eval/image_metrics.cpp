#include "eval/image_metrics.h"

#include <cmath>
#include <limits>
#include <string>

#include "tensor/error.h"

namespace aekit::eval {
namespace {

void check(const Tensor& a, const Tensor& b, double peak) {
  require(a.shape() == b.shape(), "image metrics: shapes " + to_string(a.shape()) + " and " + to_string(b.shape()) + " differ");
  require(a.rank() >= 1 && a.size() > 0, "image metrics: no images in " + to_string(a.shape()));
  require(peak > 0, "image metrics: peak " + std::to_string(peak) + " must be positive");
}

double sum_squared_diff(const float* a, const float* b, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
  return s;
}

double psnr_of_mse(double m, double peak) {
  return m > 0 ? 10 * std::log10(peak * peak / m) : std::numeric_limits<double>::infinity();
}

}  // namespace

double mse(const Tensor& a, const Tensor& b) {
  check(a, b, 1.0);
  return sum_squared_diff(a.data(), b.data(), a.size()) / static_cast<double>(a.size());
}

std::vector<double> psnr_per_image(const Tensor& a, const Tensor& b, double peak) {
  check(a, b, peak);
  const int64_t n = a.dim(0), d = a.sample_size();
  std::vector<double> p(n);
  for (int64_t i = 0; i < n; ++i)
    p[i] = psnr_of_mse(sum_squared_diff(a.data() + i * d, b.data() + i * d, d) / static_cast<double>(d), peak);
  return p;
}

double psnr(const Tensor& a, const Tensor& b, double peak) {
  double s = 0;
  const std::vector<double> p = psnr_per_image(a, b, peak);
  for (double v : p) s += v;
  return s / static_cast<double>(p.size());
}

double psnr_of_set(const Tensor& a, const Tensor& b, double peak) {
  check(a, b, peak);
  return psnr_of_mse(mse(a, b), peak);
}

}  // namespace aekit::eval
