#include "data/noise.h"

#include <algorithm>

#include "tensor/error.h"

namespace aekit::data {

NoiseSpec parse_noise(const nlohmann::json& j) {
  NoiseSpec s;
  if (j.is_null()) return s;
  require(j.is_object(), "noise: expected an object like {\"std\": 0.5, \"clip\": [0, 1]}");
  for (auto it = j.begin(); it != j.end(); ++it)
    require(it.key() == "mean" || it.key() == "std" || it.key() == "clip",
            "noise: unknown key \"" + it.key() + "\" (expected mean, std, clip)");
  s.mean = j.value("mean", 0.0);
  s.std = j.value("std", 0.0);
  require(s.std >= 0, "noise: std must be >= 0");
  if (j.contains("clip") && !j["clip"].is_null()) {
    const auto& c = j["clip"];
    require(c.is_array() && c.size() == 2 && c[0].is_number() && c[1].is_number() && c[0] < c[1],
            "noise: clip must be [lo, hi] with lo < hi");
    s.clip = true;
    s.lo = c[0].get<float>();
    s.hi = c[1].get<float>();
  }
  return s;
}

void add_noise(const Tensor& x, Tensor& out, const NoiseSpec& spec, Rng& rng) {
  out.resize(x.shape());
  const float m = static_cast<float>(spec.mean), sd = static_cast<float>(spec.std);
  for (int64_t i = 0; i < x.size(); ++i) {
    float v = x[i] + m + sd * rng.normal();
    out[i] = spec.clip ? std::clamp(v, spec.lo, spec.hi) : v;
  }
}

}  // namespace aekit::data
