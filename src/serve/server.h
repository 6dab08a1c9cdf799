// `aekit serve`: a trained run folder behind an HTTP API and the web latent explorer.
//
//   serve::ModelServer server({.run_dir = "runs/vae"});   // loads, binds 127.0.0.1:8080
//   server.run();                                         // until stop() (another thread, a signal)
//
// Safe by default: binds to localhost unless told otherwise; bodies over limits.max_body_bytes
// get 413 before they are read; read / write / keep-alive timeouts; every refusal is a 4xx with a
// one-line {"error": "..."} (serve/route_context.h). Concurrency: a pool of connection threads
// (each keep-alive connection holds one while open) over `model_copies` model copies
// (serve/model_pool.h). The run folder is watched, so a run still being trained is served with
// its latest finished epoch (serve/live_run.h).
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "serve/run_snapshot.h"
#include "serve/serve_limits.h"

namespace httplib {
class Server;
}

namespace aekit::serve {

class LiveRun;
struct RouteContext;

struct ServeOptions {
  std::string run_dir;
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (see ModelServer::port())
  SnapshotOptions snapshot;         // model copies, explorer points, data override
  ServeLimits limits;
  int connection_threads = 72;      // > wrk's 64 connections, so none waits for a thread
  int timeout_seconds = 10;         // read / write timeout per request, keep-alive idle time
  int compute_threads = 1;          // OpenMP threads per request
  bool log_requests = false;        // one line per request on stderr
};

class ModelServer {
 public:
  // Loads the run (if it has weights yet) and binds; InputError when the address cannot be bound.
  explicit ModelServer(ServeOptions options);
  ~ModelServer();
  ModelServer(const ModelServer&) = delete;
  ModelServer& operator=(const ModelServer&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return options_.host; }
  // Serves until stop(); returns once every connection thread has finished.
  void run();
  // Ends run(): safe from any thread, more than once, and before run() starts.
  void stop();

 private:
  ServeOptions options_;
  std::unique_ptr<LiveRun> live_;
  std::unique_ptr<RouteContext> ctx_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::atomic<bool> running_{false}, stopping_{false};
};

}  // namespace aekit::serve
