// Writing results: JSON (rows of floats, one per sample) or, when the caller asks for PNG
// (?format=png or an Accept header naming image/png), the images as one PNG: a single image, or
// a grid (draw/image_grid.h) with ?cols= columns (default: all in one row up to 16), ?pad= pixels
// between tiles (default 2) and ?scale= pixels per value (default 1).
#pragma once
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <initializer_list>
#include <string>

#include "tensor/tensor.h"

namespace aekit::serve {

bool wants_png(const httplib::Request& req);

// The object `body` plus, for each (name, tensor) in `rows`, a member name: N rows of floats,
// ([N, ...] as N rows of sample_size() floats) written in their shortest round-trip form (nlohmann would print every float as a 17-digit double).
struct NamedRows {
  const char* name;
  const Tensor* rows;
};
void send_json(httplib::Response& res, const nlohmann::json& body, std::initializer_list<NamedRows> rows = {});
// images [N, ...image shape] (values in [0, 1]) as a PNG; HttpError 400 when they are not images.
void send_images_png(const httplib::Request& req, httplib::Response& res, const Tensor& images,
                     const std::string& route);

// An integer query parameter within [lo, hi] (HttpError 400 otherwise), or `fallback` when absent.
int int_param(const httplib::Request& req, const std::string& name, int fallback, int lo, int hi,
              const std::string& route);

}  // namespace aekit::serve
