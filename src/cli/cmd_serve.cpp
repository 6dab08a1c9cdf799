// aekit serve --run DIR [--host 127.0.0.1] [--port 8080] [--precision fp32|bf16] [...limits]
// Serves a run folder's model over HTTP (JSON / PNG API) and the web latent explorer at /,
// until SIGINT or SIGTERM (serve/server.h).
#include <cstdio>
#include <mutex>

#include "cli/commands.h"
#include "run/run_config.h"
#include "serve/server.h"
#include "serve/stop_on_signals.h"

namespace aekit::cli {

// The flags `serve` and `train --serve` share.
void add_serve_options(CLI::App* cmd, serve::ServeOptions& o) {
  cmd->add_option("--host", o.host, "Address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--data", o.snapshot.data_override, "Dataset for the explorer's points instead of the config's");
  cmd->add_option("--points", o.snapshot.explorer_points, "Test samples in the explorer's scatter")
      ->check(CLI::Range(2, 60000));
  cmd->add_option("--copies", o.snapshot.model_copies, "Model copies computing requests in parallel")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--connections", o.connection_threads, "Connection threads (open keep-alive connections served at once)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--max-body", o.limits.max_body_bytes, "Largest request body in bytes")->check(CLI::Range(1024, 1 << 30));
  cmd->add_option("--max-batch", o.limits.max_batch, "Most samples per request")->check(CLI::Range(1, 100000));
  cmd->add_option("--timeout", o.timeout_seconds, "Read / write / keep-alive timeout in seconds")->check(CLI::Range(1, 3600));
  cmd->add_flag("--log", o.log_requests, "One line per request on stderr");
}

void add_serve(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve a run's model over HTTP (JSON / PNG API) and the web latent explorer");
  auto o = std::make_shared<serve::ServeOptions>();
  o->snapshot.model_copies = 2;
  cmd->add_option("--run", o->run_dir, "Run folder (one still being trained works too)")->required();
  cmd->add_option("--port", o->port, "Port (0: any free one)")->check(CLI::Range(0, 65535));
  auto precision = std::make_shared<std::string>();
  cmd->add_option("--precision", *precision,
                  "fp32 or bf16 products for every request (default: the precision the run trained in)");
  add_serve_options(cmd, *o);
  cmd->callback([o, precision] {
    if (!precision->empty()) o->snapshot.precision = run::parse_precision_flag(*precision);
    // The signal thread may fire before the server exists or while it is being torn down.
    std::mutex m;
    serve::ModelServer* running = nullptr;
    bool signalled = false;
    serve::StopOnSignals signals([&](int) {
      std::lock_guard<std::mutex> lock(m);
      signalled = true;
      if (running) running->stop();
    });
    serve::ModelServer server(*o);
    {
      std::lock_guard<std::mutex> lock(m);
      running = &server;
      if (signalled) server.stop();
    }
    std::printf("serving %s at http://%s:%d/ (Ctrl-C to stop)\n", o->run_dir.c_str(), server.host().c_str(),
                server.port());
    std::fflush(stdout);
    server.run();
    {
      std::lock_guard<std::mutex> lock(m);
      running = nullptr;
    }
    std::printf("stopped\n");
  });
}

}  // namespace aekit::cli
