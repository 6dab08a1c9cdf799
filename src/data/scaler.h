// Per-feature standardisation, z = (x - mean) / std, fitted on training data and saved with the
// model so the same transform applies at evaluation time. Matches sklearn's StandardScaler:
// population std (ddof = 0), and constant features get scale 1 instead of 0.
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::data {

class StandardScaler {
 public:
  // x: [N,F] with N, F >= 1 and finite values (InputError otherwise).
  void fit(const Tensor& x);
  // In place on [M,F] data; F must match the fit (InputError otherwise).
  void transform(Tensor& x) const;
  void inverse_transform(Tensor& x) const;

  // {"kind": "standard_scaler", "mean": [...], "scale": [...]}
  nlohmann::json to_json() const;
  // InputError "StandardScaler: ..." on a malformed object.
  static StandardScaler from_json(const nlohmann::json& j);

  bool fitted() const { return !mean_.empty(); }
  int64_t features() const { return static_cast<int64_t>(mean_.size()); }
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  void check_input(const Tensor& x) const;

  std::vector<double> mean_;
  std::vector<double> scale_;  // std, or 1 for a constant feature; always > 0
};

}  // namespace aekit::data
