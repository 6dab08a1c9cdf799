#include "data/scaler.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "tensor/error.h"

namespace aekit::data {

void StandardScaler::fit(const Tensor& x) {
  require(x.rank() == 2 && x.dim(0) > 0 && x.dim(1) > 0,
          "StandardScaler: expected [N,F] data with N, F >= 1, got " + to_string(x.shape()));
  const int64_t n = x.dim(0), f = x.dim(1);
  std::vector<double> mean(f, 0.0), var(f, 0.0);
  std::vector<bool> constant(f, true);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j) {
      const float v = x[r * f + j];
      require(std::isfinite(v), "StandardScaler: feature " + std::to_string(j) +
                                    " has a NaN or infinite value in row " + std::to_string(r));
      mean[j] += v;
      constant[j] = constant[j] && v == x[j];
    }
  for (double& m : mean) m /= static_cast<double>(n);
  // Second pass over deviations: more accurate than E[x^2] - E[x]^2.
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j) {
      const double d = x[r * f + j] - mean[j];
      var[j] += d * d;
    }
  scale_.resize(f);
  // "Constant" is decided on the data, not on the computed std, which rounding can leave at a
  // tiny non-zero value for a constant column.
  for (int64_t j = 0; j < f; ++j)
    scale_[j] = constant[j] ? 1.0 : std::sqrt(var[j] / static_cast<double>(n));
  mean_ = std::move(mean);
}

void StandardScaler::check_input(const Tensor& x) const {
  if (!fitted()) throw std::logic_error("StandardScaler used before fit");
  require(x.rank() == 2 && x.dim(1) == features(),
          "StandardScaler: data " + to_string(x.shape()) + " does not match the " +
              std::to_string(features()) + " features it was fitted on");
}

void StandardScaler::transform(Tensor& x) const {
  check_input(x);
  const int64_t n = x.dim(0), f = features();
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j)
      x[r * f + j] = static_cast<float>((x[r * f + j] - mean_[j]) / scale_[j]);
}

void StandardScaler::inverse_transform(Tensor& x) const {
  check_input(x);
  const int64_t n = x.dim(0), f = features();
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j)
      x[r * f + j] = static_cast<float>(x[r * f + j] * scale_[j] + mean_[j]);
}

nlohmann::json StandardScaler::to_json() const {
  return {{"kind", "standard_scaler"}, {"mean", mean_}, {"scale", scale_}};
}

StandardScaler StandardScaler::from_json(const nlohmann::json& j) {
  StandardScaler s;
  try {
    require(j.is_object() && j.value("kind", "") == "standard_scaler",
            "StandardScaler: not a standard_scaler object");
    s.mean_ = j.at("mean").get<std::vector<double>>();
    s.scale_ = j.at("scale").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("StandardScaler: bad JSON (") + e.what() + ")");
  }
  require(!s.mean_.empty() && s.mean_.size() == s.scale_.size(),
          "StandardScaler: mean and scale must be non-empty and of equal length");
  for (size_t i = 0; i < s.mean_.size(); ++i)
    require(std::isfinite(s.mean_[i]) && std::isfinite(s.scale_[i]) && s.scale_[i] > 0,
            "StandardScaler: feature " + std::to_string(i) +
                " has a non-finite mean or a scale <= 0");
  return s;
}

}  // namespace aekit::data
