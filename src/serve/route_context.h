// What every route handler shares: the live run, the limits, and the wrapper that turns a
// handler's exceptions into one-line JSON errors (HttpError's status, 400 for an InputError from
// the library, 500 for anything else), so a bad request never ends the server.
#pragma once
#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "serve/live_run.h"
#include "serve/serve_limits.h"

namespace aekit::serve {

struct RouteContext {
  LiveRun& live;
  ServeLimits limits;
  int compute_threads = 1;  // OpenMP threads per request (kernels::set_threads in each worker)

  // The current snapshot, or HttpError 503 naming the route when no epoch has finished yet.
  std::shared_ptr<const RunSnapshot> snapshot(const std::string& route) const;

  // A handler for `route` ("POST /api/encode") running `body` under the error rules above.
  using Body = std::function<void(const httplib::Request&, httplib::Response&, const std::string& route)>;
  httplib::Server::Handler handle(const std::string& route, Body body) const;
};

// The API: /api/info, /api/encode, /api/decode, /api/reconstruct, /api/score, /api/generate,
// /api/interpolate (serve/model_routes.cpp).
void add_model_routes(httplib::Server& server, const RouteContext& ctx);
// The explorer: the page and its assets, /api/points, the point thumbnails, /api/plane/decode and
// the event stream /api/events (serve/explorer_routes.cpp).
void add_explorer_routes(httplib::Server& server, const RouteContext& ctx);

}  // namespace aekit::serve
