// What one request may ask of the server. The body limit is enforced by the HTTP layer before a
// handler runs (413); the others by the handlers while reading the body (400 / 413).
#pragma once
#include <cstddef>
#include <cstdint>

namespace aekit::serve {

struct ServeLimits {
  size_t max_body_bytes = 4u << 20;         // 4 MB: ~1300 MNIST samples as JSON text
  int64_t max_batch = 256;                  // samples (or codes) per request
  int64_t max_image_pixels = 2048 * 2048;   // per uploaded image, checked from its header
  int max_steps = 64;                       // interpolation steps, grid cells per side
};

}  // namespace aekit::serve
