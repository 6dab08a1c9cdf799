// Input corruption for denoising autoencoders: noisy = x + mean + std * N(0, 1), optionally
// clipped to [lo, hi]. The two recipes of the source chapters are
//   {"mean": 0.5, "std": 0.5}                         (chapter 003: noise ~ N(0.5, 0.5) added)
//   {"std": 0.5, "clip": [0, 1]}                      (chapter 002: 0.5 * N(0,1), clipped)
// The model learns to map the noisy input to the clean target.
#pragma once
#include <nlohmann/json.hpp>

#include "config/schema.h"
#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace aekit::data {

struct NoiseSpec {
  double mean = 0, std = 0;
  std::vector<double> clip;  // empty, or [lo, hi] with lo < hi
  bool active() const { return std > 0 || mean != 0; }
};

// {"mean": 0, "std": 0, "clip": [lo, hi]}
const config::Schema<NoiseSpec>& noise_schema();
NoiseSpec parse_noise(const nlohmann::json& j, const std::string& path = "data.noise");  // null -> no noise
// out = corrupted copy of x (out is resized; it must not alias x). Takes one next_u64() from
// rng per call and derives the normals from it with counter_hash (tensor/counter_hash.h), Box-Muller in
// float (|N(0,1)| draws are capped at ~5.8).
void add_noise(const Tensor& x, Tensor& out, const NoiseSpec& spec, Rng& rng);

}  // namespace aekit::data
