// The model server's request bodies (serve/request_inputs.h), the parser a network client
// reaches: the first byte picks the Content-Type (JSON, a PNG / JPEG upload, multipart, another
// or none), the second the model's input shape and whether the body's key is "inputs" or
// "codes"; the rest is the body. A refused body must end as an HttpError with a 4xx status; a
// read one must be a batch of that shape within the limits, every value finite. Anything else
// (another exception, a 5xx, a wrong shape, a crash, a sanitizer report) is a bug.
#include <httplib.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "serve/http_error.h"
#include "serve/request_inputs.h"

namespace {

const char* const kTypes[] = {"application/json", "application/json; charset=utf-8", "image/png", "image/jpeg",
                              "multipart/form-data; boundary=x", "text/plain", ""};
const aekit::Shape kSamples[] = {{4}, {2, 3}, {5, 4}, {1, 5, 4}, {3, 4, 5}, {2, 2, 2}};

bool is_batch_of(const aekit::Tensor& x, const aekit::Shape& sample, int64_t max_batch) {
  if (x.rank() != static_cast<int>(sample.size()) + 1 || x.dim(0) < 1 || x.dim(0) > max_batch) return false;
  for (size_t i = 0; i < sample.size(); ++i)
    if (x.dim(static_cast<int>(i) + 1) != sample[i]) return false;
  for (const float v : x)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  httplib::Request req;
  const char* type = kTypes[data[0] % (sizeof kTypes / sizeof *kTypes)];
  if (*type) req.set_header("Content-Type", type);
  req.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  const aekit::Shape& sample = kSamples[(data[1] & 0x7f) % (sizeof kSamples / sizeof *kSamples)];
  const std::string key = (data[1] & 0x80) ? "codes" : "inputs";
  aekit::serve::ServeLimits limits;
  limits.max_batch = 64;
  limits.max_image_pixels = 1 << 16;  // small, so oversized headers are refused quickly
  try {
    const aekit::Tensor x = aekit::serve::read_samples(req, "POST /api/encode", key, sample, limits);
    if (!is_batch_of(x, sample, limits.max_batch)) __builtin_trap();
  } catch (const aekit::serve::HttpError& e) {
    if (e.status < 400 || e.status > 499) __builtin_trap();
  }
  return 0;
}
