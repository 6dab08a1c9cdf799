#include "serve/response_outputs.h"

#include <algorithm>
#include <charconv>

#include "draw/image_grid.h"
#include "draw/png.h"
#include "serve/http_error.h"
#include "tensor/error.h"

namespace aekit::serve {

namespace {
constexpr int64_t kMaxPngPixels = int64_t{4096} * 4096;
}  // namespace

bool wants_png(const httplib::Request& req) {
  if (req.has_param("format")) return req.get_param_value("format") == "png";
  return req.get_header_value("Accept").find("image/png") != std::string::npos;
}

void send_json(httplib::Response& res, const nlohmann::json& body, std::initializer_list<NamedRows> rows) {
  std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.pop_back();  // the closing brace
  char buf[32];
  for (const NamedRows& r : rows) {
    if (text.size() > 1) text += ',';
    text += '"';
    text += r.name;
    text += "\":[";
    const int64_t n = r.rows->dim(0), per = r.rows->sample_size();
    text.reserve(text.size() + static_cast<size_t>(n * per) * 12);
    for (int64_t i = 0; i < n; ++i) {
      text += i ? ",[" : "[";
      for (int64_t j = 0; j < per; ++j) {
        if (j) text += ',';
        const auto end = std::to_chars(buf, buf + sizeof buf, (*r.rows)[i * per + j]).ptr;
        text.append(buf, end);
      }
      text += ']';
    }
    text += ']';
  }
  text += '}';
  res.set_content(std::move(text), "application/json");
}

int int_param(const httplib::Request& req, const std::string& name, int fallback, int lo, int hi,
              const std::string& route) {
  if (!req.has_param(name.c_str())) return fallback;
  const std::string v = req.get_param_value(name.c_str());
  int x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size() || x < lo || x > hi)
    throw HttpError(400, route + ": query parameter " + name + " must be an integer in [" + std::to_string(lo) +
                             ", " + std::to_string(hi) + "], got '" + v.substr(0, 20) + "'");
  return x;
}

void send_images_png(const httplib::Request& req, httplib::Response& res, const Tensor& images,
                     const std::string& route) {
  const int rank = images.rank();
  const bool image_like = rank == 3 || (rank == 4 && (images.dim(1) == 1 || images.dim(1) == 3));
  if (!image_like)
    throw HttpError(400, route + ": outputs of shape " + to_string(images.shape()) +
                             " are not images; ask for JSON (drop format=png)");
  const int n = static_cast<int>(images.dim(0));
  const int cols = int_param(req, "cols", std::min(n, 16), 1, 256, route);
  const int pad = int_param(req, "pad", 2, 0, 16, route);
  const int scale = int_param(req, "scale", 1, 1, 16, route);
  const int64_t rows = (n + cols - 1) / cols;
  const int64_t w = cols * images.dim(-1) * scale + (cols + 1) * pad, h = rows * images.dim(-2) * scale + (rows + 1) * pad;
  if (w * h > kMaxPngPixels)
    throw HttpError(413, route + ": a " + std::to_string(w) + "x" + std::to_string(h) + " PNG is over the limit of " +
                             std::to_string(kMaxPngPixels) + " pixels; use a smaller scale or JSON");
  draw::Image img = draw::image_grid(images, 0, cols, pad, scale);
  if (!draw::is_colour_images(images)) img = draw::to_grey(img);
  res.set_content(draw::encode_png(img), "image/png");
}

}  // namespace aekit::serve
