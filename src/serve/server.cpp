#include "serve/server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "serve/http_error.h"
#include "serve/live_run.h"
#include "serve/route_context.h"
#include "tensor/error.h"

namespace aekit::serve {

ModelServer::ModelServer(ServeOptions options) : options_(std::move(options)) {
  require(!options_.run_dir.empty(), "serve: no run folder given");
  require(options_.connection_threads >= 1, "serve: need at least one connection thread");
  live_ = std::make_unique<LiveRun>(options_.run_dir, options_.snapshot);
  ctx_ = std::make_unique<RouteContext>(RouteContext{*live_, options_.limits, options_.compute_threads});
  http_ = std::make_unique<httplib::Server>();
  httplib::Server& h = *http_;
  const int threads = options_.connection_threads;
  h.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  h.set_payload_max_length(options_.limits.max_body_bytes);
  h.set_read_timeout(options_.timeout_seconds, 0);
  h.set_write_timeout(options_.timeout_seconds, 0);
  h.set_keep_alive_timeout(options_.timeout_seconds);
  h.set_keep_alive_max_count(100000);  // httplib's default (5) would reconnect every 5 requests
  h.set_tcp_nodelay(true);
  add_model_routes(h, *ctx_);
  add_explorer_routes(h, *ctx_);
  // Statuses httplib sets itself (404 no route, 413 body too large, 400 bad request line) get
  // the same one-line JSON as the handlers' errors.
  h.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string what = req.method + " " + req.path.substr(0, 80);
    std::string problem;
    switch (res.status) {
      case 404: problem = "no such route"; break;
      case 413: problem = "the body is over the size limit"; break;
      case 405: problem = "method not allowed"; break;
      case 400: problem = "malformed request (request line, headers, or a body without Content-Length)"; break;
      default: problem = "refused (status " + std::to_string(res.status) + ")";
    }
    res.set_content(error_json(what + ": " + problem), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  h.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(error_json(req.method + " " + req.path.substr(0, 80) + ": internal error"), "application/json");
  });
  if (options_.log_requests)
    h.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s -> %d\n", req.method.c_str(), req.path.c_str(), res.status);
    });
  if (options_.port == 0) {
    port_ = h.bind_to_any_port(options_.host);
    require(port_ > 0, "serve: cannot bind to " + options_.host);
  } else {
    require(h.bind_to_port(options_.host, options_.port),
            "serve: cannot bind to " + options_.host + ":" + std::to_string(options_.port) + " (in use?)");
    port_ = options_.port;
  }
}

ModelServer::~ModelServer() {
  stop();
  live_.reset();
}

void ModelServer::run() {
  running_ = true;
  if (!stopping_) http_->listen_after_bind();
  running_ = false;
}

void ModelServer::stop() {
  stopping_ = true;
  live_->stop();  // wakes the event streams so their threads can finish
  // httplib's stop() does nothing until its loop is running: wait for run() to get there.
  while (running_ && !http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  http_->stop();
}

}  // namespace aekit::serve
