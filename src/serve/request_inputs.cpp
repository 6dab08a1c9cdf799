#include "serve/request_inputs.h"

#include <cmath>

#include "data/image_decode.h"
#include "data/image_resize.h"
#include "io/json_text.h"
#include "serve/http_error.h"
#include "tensor/error.h"

namespace aekit::serve {
namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string content_type(const httplib::Request& req) { return req.get_header_value("Content-Type"); }

// Appends the numbers of a (nested) array to out; stops counting past `limit` values so a huge
// array is refused without copying it.
void flatten(const nlohmann::json& v, std::vector<float>& out, size_t limit, const std::string& what) {
  if (v.is_array()) {
    for (const auto& e : v) {
      flatten(e, out, limit, what);
      if (out.size() > limit) return;
    }
    return;
  }
  if (!v.is_number())
    throw HttpError(400, what + ": value " + std::to_string(out.size()) + " is not a number (" +
                             v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).substr(0, 40) + ")");
  const double d = v.get<double>();
  if (!std::isfinite(d) || std::fabs(d) > 3.4e38)
    throw HttpError(400, what + ": value " + std::to_string(out.size()) + " is not a finite float");
  out.push_back(static_cast<float>(d));
}

bool is_image_shape(const Shape& s) { return s.size() == 2 || (s.size() == 3 && (s[0] == 1 || s[0] == 3)); }

// One uploaded image file as one sample of `sample`'s shape, values in [0, 1].
void image_to_sample(const std::string& bytes, const std::string& what, const Shape& sample,
                     const ServeLimits& limits, float* out) {
  if (!is_image_shape(sample))
    throw HttpError(415, what + ": this model's input " + to_string(sample) + " is not an image; send JSON");
  if (bytes.empty()) throw HttpError(400, what + ": empty image");
  const int channels = sample.size() == 3 ? static_cast<int>(sample[0]) : 1;
  const int H = static_cast<int>(sample[sample.size() - 2]), W = static_cast<int>(sample.back());
  data::RawImage img;
  try {
    const data::ImageHeader h = data::read_image_header(bytes, what);
    if (static_cast<int64_t>(h.width) * h.height > limits.max_image_pixels)
      throw HttpError(413, what + ": image is " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                               ", more than the limit of " + std::to_string(limits.max_image_pixels) + " pixels");
    data::DecodeOptions opt;
    opt.channels = channels;
    opt.min_side = 1;
    opt.max_pixels = limits.max_image_pixels;
    img = data::decode_image(bytes, what, opt);
    if (img.width != W || img.height != H) img = data::resize_image(img, H, W, data::ResizePolicy::stretch);
  } catch (const InputError& e) {
    throw HttpError(400, e.what());
  }
  const int64_t plane = static_cast<int64_t>(H) * W;
  for (int64_t p = 0; p < plane; ++p)
    for (int c = 0; c < channels; ++c) out[c * plane + p] = img.pixels[p * channels + c] / 255.0f;
}

Tensor batch_of(const Shape& sample, int64_t n) {
  Shape s{n};
  s.insert(s.end(), sample.begin(), sample.end());
  return Tensor(s);
}

}  // namespace

nlohmann::json read_json_object(const httplib::Request& req, const std::string& route) {
  const std::string type = content_type(req);
  if (type.find("application/json") == std::string::npos)
    throw HttpError(415, route + ": send the body as application/json (got '" + type.substr(0, 60) + "')");
  if (req.body.empty()) throw HttpError(400, route + ": empty body");
  nlohmann::json j;
  try {
    j = io::parse_json(req.body, route + ": body");
  } catch (const InputError& e) {
    throw HttpError(400, e.what());
  }
  if (!j.is_object()) throw HttpError(400, route + ": the body must be a JSON object");
  return j;
}

Tensor samples_from_json(const nlohmann::json& value, const std::string& what, const Shape& sample,
                         const ServeLimits& limits) {
  const size_t per = static_cast<size_t>(numel(sample));
  if (!value.is_array() || value.empty())
    throw HttpError(400, what + ": expected a non-empty array of " + std::to_string(per) +
                             " numbers or an array of such arrays");
  // A batch when the first element alone holds one whole sample; otherwise the array is one
  // sample, flat or nested ([[28 values] x 28] for a 28x28 input).
  std::vector<float> first;
  if (value[0].is_array()) flatten(value[0], first, per, what);
  const bool batch = value[0].is_array() && first.size() == per;
  const int64_t n = batch ? static_cast<int64_t>(value.size()) : 1;
  if (n > limits.max_batch)
    throw HttpError(413, what + ": a batch of " + std::to_string(n) + " samples is over the limit of " +
                             std::to_string(limits.max_batch));
  Tensor x = batch_of(sample, n);
  std::vector<float> row;
  row.reserve(per);
  for (int64_t i = 0; i < n; ++i) {
    row.clear();
    const std::string item = batch ? what + " sample " + std::to_string(i) : what;
    flatten(batch ? value[i] : value, row, per, item);
    if (row.size() != per)
      throw HttpError(400, item + ": expected " + std::to_string(per) + " numbers (shape " + to_string(sample) +
                               "), got " + (row.size() > per ? "more" : std::to_string(row.size())));
    std::copy(row.begin(), row.end(), x.data() + i * per);
  }
  return x;
}

Tensor read_samples(const httplib::Request& req, const std::string& route, const std::string& key,
                    const Shape& sample, const ServeLimits& limits) {
  const std::string type = content_type(req);
  const size_t per = static_cast<size_t>(numel(sample));
  if (type.find("application/json") != std::string::npos) {
    const nlohmann::json body = read_json_object(req, route);
    if (!body.contains(key))
      throw HttpError(400, route + ": the body needs \"" + key + "\": an array of " + std::to_string(per) +
                               " numbers or an array of such arrays");
    return samples_from_json(body[key], route + " " + key, sample, limits);
  }
  if (starts_with(type, "image/png") || starts_with(type, "image/jpeg")) {
    Tensor x = batch_of(sample, 1);
    image_to_sample(req.body, route + " image", sample, limits, x.data());
    return x;
  }
  if (req.is_multipart_form_data()) {
    const int64_t n = static_cast<int64_t>(req.files.size());
    if (n == 0) throw HttpError(400, route + ": the multipart body has no file parts");
    if (n > limits.max_batch)
      throw HttpError(413, route + ": " + std::to_string(n) + " images are over the batch limit of " +
                               std::to_string(limits.max_batch));
    Tensor x = batch_of(sample, n);
    int64_t i = 0;
    for (const auto& [name, file] : req.files) {
      image_to_sample(file.content, route + " file '" + file.filename.substr(0, 60) + "'", sample, limits,
                      x.data() + i * per);
      ++i;
    }
    return x;
  }
  if (req.body.empty()) throw HttpError(400, route + ": empty body");
  throw HttpError(415, route + ": unsupported content type '" + type.substr(0, 60) +
                           "' (send application/json, image/png, image/jpeg or multipart/form-data)");
}

}  // namespace aekit::serve
