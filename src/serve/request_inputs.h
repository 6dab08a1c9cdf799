// Reading a batch of samples (or codes) from a request body, in any of the accepted forms:
//   application/json      {"<key>": [v, v, ...]}            one sample, values flattened
//                         {"<key>": [[...], [...], ...]}    a batch: one (nested) array per sample
//   image/png, image/jpeg one image (the body is the file)
//   multipart/form-data   one image per file part
// Images are decoded (data/image_decode.h, size checked from the header before any pixel memory),
// turned grey or RGB as the model's input wants, resized to its H x W ("stretch") and scaled to
// [0, 1]. Every problem is an HttpError 4xx naming the route and what is wrong.
#pragma once
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "serve/serve_limits.h"
#include "tensor/tensor.h"

namespace aekit::serve {

// [N, ...sample] from the body. `key` is the JSON member ("inputs", "codes"); images are only
// accepted when `sample` is an image shape ([H, W], [1, H, W] or [3, H, W]).
Tensor read_samples(const httplib::Request& req, const std::string& route, const std::string& key,
                    const Shape& sample, const ServeLimits& limits);

// The body as a JSON object (415 for another content type, 400 for bad JSON or a non-object).
nlohmann::json read_json_object(const httplib::Request& req, const std::string& route);

// [N, ...sample] from a JSON value: one flat/nested array for one sample or an array of them.
Tensor samples_from_json(const nlohmann::json& value, const std::string& what, const Shape& sample,
                         const ServeLimits& limits);

}  // namespace aekit::serve
