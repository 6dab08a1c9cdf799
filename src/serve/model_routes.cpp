// The JSON / PNG model API. Each handler takes the current snapshot (a training run may publish
// a newer one meanwhile), borrows one model copy for its computation and answers.
#include <httplib.h>

#include <sstream>

#include "eval/anomaly_score.h"
#include "eval/interpolation.h"
#include "serve/http_error.h"
#include "serve/request_inputs.h"
#include "serve/response_outputs.h"
#include "serve/route_context.h"
#include "tensor/rng.h"

namespace aekit::serve {
namespace {

Shape batch_shape(int64_t n, const Shape& sample) {
  Shape s{n};
  s.insert(s.end(), sample.begin(), sample.end());
  return s;
}

// Codes [N, L] of x: one sample through the frozen encoder when there is one, else the model.
Tensor encode(ModelPool& pool, const Tensor& x) {
  ModelPool::Lease lease = pool.acquire();
  const int64_t n = x.dim(0);
  const int64_t L = numel(pool.code_shape());
  if (n == 1 && lease.frozen()) {
    const float* z = lease.frozen()->encode(x.data());
    return Tensor({1, L}, std::vector<float>(z, z + L));
  }
  Tensor z = lease.model().encode(x);
  z.reshape({n, L});
  return z;
}

Tensor decode(ModelPool& pool, const Tensor& z) {
  Tensor codes = z;
  codes.reshape(batch_shape(z.dim(0), pool.code_shape()));
  ModelPool::Lease lease = pool.acquire();
  return lease.model().decode(codes);
}

// y as PNG or as JSON rows "outputs" (with "codes" when given).
void send_outputs(const httplib::Request& req, httplib::Response& res, const Tensor& y, const std::string& route,
                  const Tensor* codes = nullptr, nlohmann::json extra = nlohmann::json::object()) {
  if (wants_png(req)) return send_images_png(req, res, y, route);
  extra["shape"] = Shape(y.shape().begin() + 1, y.shape().end());
  if (codes)
    send_json(res, extra, {{"codes", codes}, {"outputs", &y}});
  else
    send_json(res, extra, {{"outputs", &y}});
}

// metrics.csv as a list of {column: value} rows.
nlohmann::json metrics_rows(const std::string& csv) {
  nlohmann::json rows = nlohmann::json::array();
  std::istringstream in(csv);
  std::string line, cell;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::istringstream l(line);
    while (std::getline(l, cell, ',')) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    nlohmann::json row = nlohmann::json::object();
    for (size_t i = 0; i < cells.size() && i < header.size(); ++i) {
      try {
        row[header[i]] = std::stod(cells[i]);
      } catch (const std::exception&) {
        row[header[i]] = cells[i];
      }
    }
    rows.push_back(row);
  }
  return rows;
}

// One code from a JSON value (an array of L numbers).
Tensor one_code(const nlohmann::json& v, const std::string& what, const Shape& code, const ServeLimits& limits) {
  Tensor z = samples_from_json(v, what, code, limits);
  if (z.dim(0) != 1) throw HttpError(400, what + ": expected one code, got " + std::to_string(z.dim(0)));
  return z;
}

}  // namespace

void add_model_routes(httplib::Server& server, const RouteContext& ctx) {
  const ServeLimits limits = ctx.limits;

  server.Get("/api/info", ctx.handle("GET /api/info", [&ctx, limits](const auto&, auto& res, const auto&) {
    nlohmann::json info;
    info["run"] = ctx.live.dir();
    const auto s = ctx.live.current();
    info["ready"] = s != nullptr;
    if (!s) {
      info["problem"] = ctx.live.problem();
      return send_json(res, info);
    }
    const ModelPool& pool = *s->pool;
    info["config"] = pool.config().to_json();
    info["name"] = pool.config().name;
    info["input_shape"] = pool.input_shape();
    info["code_shape"] = pool.code_shape();
    info["code_size"] = numel(pool.code_shape());
    info["is_vae"] = pool.is_vae();
    info["weights"] = pool.weights_path();
    info["loss_conventions"] = s->loss_conventions;
    info["metrics"] = metrics_rows(s->metrics_csv);
    info["epochs_done"] = s->epochs;
    info["version"] = s->version;
    info["one_sample_encoder"] = pool.frozen_unsupported().empty() ? "frozen" : pool.frozen_unsupported();
    info["model_copies"] = pool.copies();
    info["precision"] = kernels::precision_name(pool.precision());
    info["explorer"] = {{"points", s->points.size()},
                        {"projection", s->points.projection},
                        {"unavailable", s->points.unavailable}};
    info["limits"] = {{"max_body_bytes", limits.max_body_bytes},
                      {"max_batch", limits.max_batch},
                      {"max_image_pixels", limits.max_image_pixels},
                      {"max_steps", limits.max_steps}};
    send_json(res, info);
  }));

  server.Post("/api/encode", ctx.handle("POST /api/encode", [&ctx, limits](const auto& req, auto& res, const auto& route) {
    const auto s = ctx.snapshot(route);
    const Tensor x = read_samples(req, route, "inputs", s->pool->input_shape(), limits);
    const Tensor z = encode(*s->pool, x);
    send_json(res, nlohmann::json::object(), {{"codes", &z}});
  }));

  server.Post("/api/decode", ctx.handle("POST /api/decode", [&ctx, limits](const auto& req, auto& res, const auto& route) {
    const auto s = ctx.snapshot(route);
    const nlohmann::json body = read_json_object(req, route);
    if (!body.contains("codes"))
      throw HttpError(400, route + ": the body needs \"codes\": an array of " +
                               std::to_string(numel(s->pool->code_shape())) + " numbers or an array of such arrays");
    const Tensor z = samples_from_json(body["codes"], route + " codes", s->pool->code_shape(), limits);
    send_outputs(req, res, decode(*s->pool, z), route);
  }));

  server.Post("/api/reconstruct",
              ctx.handle("POST /api/reconstruct", [&ctx, limits](const auto& req, auto& res, const auto& route) {
                const auto s = ctx.snapshot(route);
                const Tensor x = read_samples(req, route, "inputs", s->pool->input_shape(), limits);
                ModelPool::Lease lease = s->pool->acquire();
                send_outputs(req, res, lease.model().reconstruct(x), route);
              }));

  server.Post("/api/score", ctx.handle("POST /api/score", [&ctx, limits](const auto& req, auto& res, const auto& route) {
    const auto s = ctx.snapshot(route);
    const std::string metric = req.has_param("metric") ? req.get_param_value("metric") : "mse";
    if (metric != "mse" && metric != "relative" && metric != "loss")
      throw HttpError(400, route + ": metric must be mse, relative or loss, got '" + metric.substr(0, 20) + "'");
    const Tensor x = read_samples(req, route, "inputs", s->pool->input_shape(), limits);
    ModelPool::Lease lease = s->pool->acquire();
    send_json(res, {{"metric", metric}, {"scores", eval::anomaly_scores(lease.model(), x, metric)}});
  }));

  // {"n": 8, "seed": 1}: codes drawn from N(0, I), a VAE's prior, decoded.
  server.Post("/api/generate", ctx.handle("POST /api/generate", [&ctx, limits](const auto& req, auto& res, const auto& route) {
    const auto s = ctx.snapshot(route);
    const nlohmann::json body = req.body.empty() ? nlohmann::json::object() : read_json_object(req, route);
    const nlohmann::json n_json = body.value("n", nlohmann::json(8)), seed_json = body.value("seed", nlohmann::json(1));
    if (!n_json.is_number_integer() || n_json.get<int64_t>() < 1 || n_json.get<int64_t>() > limits.max_batch)
      throw HttpError(400, route + ": n must be an integer in [1, " + std::to_string(limits.max_batch) + "]");
    if (!seed_json.is_number_integer() || seed_json.get<int64_t>() < 0) throw HttpError(400, route + ": seed must be a non-negative integer");
    const int64_t n = n_json.get<int64_t>(), L = numel(s->pool->code_shape());
    Rng rng(seed_json.get<uint64_t>());
    Tensor z({n, L});
    for (float& v : z) v = rng.normal();
    send_outputs(req, res, decode(*s->pool, z), route, &z);
  }));

  // {"a": code, "b": code} or {"inputs": [x_a, x_b]} (or two images), "steps", "method".
  server.Post("/api/interpolate",
              ctx.handle("POST /api/interpolate", [&ctx, limits](const auto& req, auto& res, const auto& route) {
                const auto s = ctx.snapshot(route);
                const Shape& code = s->pool->code_shape();
                int steps = int_param(req, "steps", 8, 2, limits.max_steps, route);
                std::string method = req.has_param("method") ? req.get_param_value("method") : "linear";
                Tensor a, b;
                const bool json = req.get_header_value("Content-Type").find("application/json") != std::string::npos;
                nlohmann::json body;
                if (json) body = read_json_object(req, route);
                if (json && body.contains("a")) {
                  if (!body.contains("b")) throw HttpError(400, route + ": \"a\" without \"b\"");
                  a = one_code(body["a"], route + " a", code, limits);
                  b = one_code(body["b"], route + " b", code, limits);
                } else {
                  const Tensor x = json ? samples_from_json(body.value("inputs", nlohmann::json()), route + " inputs",
                                                            s->pool->input_shape(), limits)
                                        : read_samples(req, route, "inputs", s->pool->input_shape(), limits);
                  if (x.dim(0) != 2)
                    throw HttpError(400, route + ": give two inputs (or codes \"a\" and \"b\"), got " +
                                             std::to_string(x.dim(0)));
                  const Tensor z = encode(*s->pool, x);
                  const int64_t L = z.dim(1);
                  a = Tensor({1, L}, std::vector<float>(z.data(), z.data() + L));
                  b = Tensor({1, L}, std::vector<float>(z.data() + L, z.data() + 2 * L));
                }
                if (json && body.contains("steps")) {
                  if (!body["steps"].is_number_integer() || body["steps"].get<int64_t>() < 2 ||
                      body["steps"].get<int64_t>() > limits.max_steps)
                    throw HttpError(400, route + ": steps must be an integer in [2, " + std::to_string(limits.max_steps) + "]");
                  steps = body["steps"].get<int>();
                }
                if (json && body.contains("method")) {
                  if (!body["method"].is_string()) throw HttpError(400, route + ": method must be a string");
                  method = body["method"].get<std::string>();
                }
                if (method != "linear" && method != "spherical")
                  throw HttpError(400, route + ": method must be linear or spherical, got '" + method.substr(0, 20) + "'");
                const Tensor z = method == "linear" ? eval::linear_walk(a, b, steps) : eval::spherical_walk(a, b, steps);
                send_outputs(req, res, decode(*s->pool, z), route, &z, {{"method", method}});
              }));
}

}  // namespace aekit::serve
