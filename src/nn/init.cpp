#include "nn/init.h"

#include <cmath>

#include "tensor/error.h"

namespace aekit::nn {

Init parse_init(const std::string& s) {
  if (s == "keras") return Init::keras;
  if (s == "pytorch") return Init::pytorch;
  throw InputError("unknown init scheme '" + s + "' (expected keras or pytorch)");
}

std::string to_string(Init i) { return i == Init::keras ? "keras" : "pytorch"; }

void init_weight(Tensor& w, int64_t fan_in, int64_t fan_out, Init scheme, Rng& rng) {
  float limit = scheme == Init::keras ? std::sqrt(6.0f / static_cast<float>(fan_in + fan_out))
                                      : 1.0f / std::sqrt(static_cast<float>(fan_in));
  for (float& v : w) v = rng.uniform(-limit, limit);
}

void init_bias(Tensor& b, int64_t fan_in, Init scheme, Rng& rng) {
  if (scheme == Init::keras) {
    b.zero();
    return;
  }
  float limit = 1.0f / std::sqrt(static_cast<float>(fan_in));
  for (float& v : b) v = rng.uniform(-limit, limit);
}

}  // namespace aekit::nn
