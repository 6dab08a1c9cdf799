#include "serve/route_context.h"

#include "kernels/matmul.h"
#include "serve/http_error.h"
#include "tensor/error.h"

namespace aekit::serve {

std::shared_ptr<const RunSnapshot> RouteContext::snapshot(const std::string& route) const {
  auto s = live.current();
  if (!s) throw HttpError(503, route + ": no model to answer with yet: " + live.problem());
  return s;
}

httplib::Server::Handler RouteContext::handle(const std::string& route, Body body) const {
  const int threads = compute_threads;
  return [route, body = std::move(body), threads](const httplib::Request& req, httplib::Response& res) {
    // OpenMP's thread count is per thread: each worker sets its own once. Many requests in
    // parallel on few cores go fastest with one thread each.
    thread_local bool threads_set = false;
    if (!threads_set) {
      kernels::set_threads(threads);
      threads_set = true;
    }
    try {
      body(req, res, route);
    } catch (const HttpError& e) {
      res.status = e.status;
      res.set_content(error_json(e.what()), "application/json");
    } catch (const InputError& e) {
      res.status = 400;
      res.set_content(error_json(route + ": " + e.what()), "application/json");
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(error_json(route + ": " + e.what()), "application/json");
    }
  };
}

}  // namespace aekit::serve
