// The web latent explorer's side of the server: the embedded page, the scatter's points and
// their input thumbnails, decoding any point of the plane, and a server-sent event per new
// snapshot (a finished epoch of a run being trained).
#include <httplib.h>

#include <chrono>

#include "serve/http_error.h"
#include "serve/request_inputs.h"
#include "serve/response_outputs.h"
#include "serve/route_context.h"
#include "serve/web_assets.h"

namespace aekit::serve {
namespace {

void send_asset(httplib::Response& res, const std::string& name, const std::string& route) {
  const WebAsset* a = find_web_asset(name);
  if (!a) throw HttpError(404, route + ": no such file '" + name.substr(0, 60) + "'");
  res.set_content(std::string(a->bytes), content_type_for(name).c_str());
}

std::string sse_event(const RunSnapshot* s) {
  nlohmann::json d = {{"version", s ? s->version : 0}, {"epochs", s ? s->epochs : 0}};
  return "event: snapshot\ndata: " + d.dump() + "\n\n";
}

}  // namespace

void add_explorer_routes(httplib::Server& server, const RouteContext& ctx) {
  const ServeLimits limits = ctx.limits;

  server.Get("/", ctx.handle("GET /", [](const auto&, auto& res, const auto& route) {
    send_asset(res, "index.html", route);
  }));
  server.Get(R"(/assets/([A-Za-z0-9_.-]+))", ctx.handle("GET /assets", [](const auto& req, auto& res, const auto& route) {
    send_asset(res, req.matches[1].str(), route);
  }));

  // {"projection", "n", "code_size", "labels", "xy": [[x, y], ...], "codes": [[...L], ...]}
  server.Get("/api/points", ctx.handle("GET /api/points", [&ctx](const auto&, auto& res, const auto& route) {
    const auto s = ctx.snapshot(route);
    const ExplorerPoints& p = s->points;
    nlohmann::json j = {{"n", p.size()}, {"projection", p.projection}, {"unavailable", p.unavailable},
                        {"version", s->version}, {"pca", p.pca.has_value()}};
    if (p.size() == 0) return send_json(res, j);
    j["code_size"] = p.codes.dim(1);
    j["labels"] = p.labels;
    send_json(res, j, {{"xy", &p.xy}, {"codes", &p.codes}});
  }));

  // The test input behind point i, as a PNG (?scale= to enlarge).
  server.Get(R"(/api/points/(\d{1,9})/input\.png)",
             ctx.handle("GET /api/points/input.png", [&ctx](const auto& req, auto& res, const auto& route) {
               const auto s = ctx.snapshot(route);
               const ExplorerPoints& p = s->points;
               const int64_t i = std::stoll(req.matches[1].str());
               if (i >= p.size())
                 throw HttpError(404, route + ": no point " + std::to_string(i) + " (there are " +
                                          std::to_string(p.size()) + ")");
               Shape one = p.inputs.shape();
               one[0] = 1;
               Tensor x(one);
               std::copy(p.inputs.data() + i * x.size(), p.inputs.data() + (i + 1) * x.size(), x.data());
               send_images_png(req, res, x, route);
             }));

  // The same input as JSON, {"inputs": [[...]]}: a ready /api/encode body (bench/serve_load).
  server.Get(R"(/api/points/(\d{1,9})/input\.json)",
             ctx.handle("GET /api/points/input.json", [&ctx](const auto& req, auto& res, const auto& route) {
               const auto s = ctx.snapshot(route);
               const ExplorerPoints& p = s->points;
               const int64_t i = std::stoll(req.matches[1].str());
               if (i >= p.size())
                 throw HttpError(404, route + ": no point " + std::to_string(i) + " (there are " +
                                          std::to_string(p.size()) + ")");
               Tensor x({1, p.inputs.sample_size()});
               std::copy(p.inputs.data() + i * x.size(), p.inputs.data() + (i + 1) * x.size(), x.data());
               send_json(res, nlohmann::json::object(), {{"inputs", &x}});
             }));

  // {"points": [[x, y], ...]}: the codes at these scatter positions (explorer_points.h), decoded.
  server.Post("/api/plane/decode",
              ctx.handle("POST /api/plane/decode", [&ctx, limits](const auto& req, auto& res, const auto& route) {
                const auto s = ctx.snapshot(route);
                const ExplorerPoints& p = s->points;
                if (p.size() == 0) throw HttpError(409, route + ": the explorer has no plane: " + p.unavailable);
                const nlohmann::json body = read_json_object(req, route);
                const Tensor xy = samples_from_json(body.value("points", nlohmann::json()), route + " points", {2},
                                                    limits);
                const int64_t n = xy.dim(0), L = p.codes.dim(1);
                Shape code{n};
                for (int64_t d : s->pool->code_shape()) code.push_back(d);
                Tensor z(code);
                for (int64_t i = 0; i < n; ++i) {
                  const std::vector<float> c = p.code_at(xy[2 * i], xy[2 * i + 1]);
                  std::copy(c.begin(), c.end(), z.data() + i * L);
                }
                ModelPool::Lease lease = s->pool->acquire();
                const Tensor& y = lease.model().decode(z);
                if (wants_png(req)) return send_images_png(req, res, y, route);
                z.reshape({n, L});
                send_json(res, nlohmann::json::object(), {{"codes", &z}, {"outputs", &y}});
              }));

  // Server-sent events: one "snapshot" event now and one per newer snapshot, until the client
  // leaves or the server stops; a comment line every 15 s finds dead connections.
  server.Get("/api/events", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto seen = std::make_shared<uint64_t>(UINT64_MAX);
    auto last_write = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream", [&ctx, seen, last_write](size_t, httplib::DataSink& sink) {
      if (ctx.live.stopped()) {
        sink.done();
        return true;
      }
      std::shared_ptr<const RunSnapshot> s =
          *seen == UINT64_MAX ? ctx.live.current() : ctx.live.wait_for_newer(*seen, std::chrono::milliseconds(500));
      const uint64_t v = s ? s->version : 0;
      std::string out;
      if (v != *seen) {
        out = sse_event(s.get());
        *seen = v;
      } else if (std::chrono::steady_clock::now() - *last_write > std::chrono::seconds(15)) {
        out = ": ping\n\n";
      }
      if (out.empty()) return true;
      *last_write = std::chrono::steady_clock::now();
      return sink.write(out.data(), out.size());
    });
  });
}

}  // namespace aekit::serve
