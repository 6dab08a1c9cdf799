// aekit train --config FILE --out DIR [--epochs N] [--seed S] [--data DIR] [--limit N]
// aekit train --resume DIR [--epochs N]
// --precision fp32|bf16 overrides the config's train.precision (also on --resume: checkpoints
// are fp32 whatever trained them).
// Under mpirun / srun: data-parallel over the ranks (docs/distributed.md).
// --serve PORT: also serve the run folder (API + web explorer, serve/server.h) while it trains;
// the explorer's curves and scatter follow each finished epoch. Serving goes on after training
// until SIGINT / SIGTERM; a signal during training ends it after the epoch under way.
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "dist/world.h"
#include "report/run_figures.h"
#include "serve/server.h"
#include "serve/stop_on_signals.h"
#include "tensor/error.h"
#include "train/trainer.h"

namespace aekit::cli {
namespace {

struct TrainArgs {
  std::string config, out, resume, data, precision;
  int epochs = -1;
  int64_t seed = -1, limit = 0;
  bool quiet = false, no_figures = false, skip_bad = false;
  int serve_port = -1;
  std::string serve_host = "127.0.0.1";
};

void train_and_report(const run::RunConfig& cfg, const train::TrainOptions& opt, const TrainArgs& a) {
  train::TrainResult r = train::train(cfg, opt);
  if (dist::rank() != 0) return;  // rank 0 alone writes the run folder
  if (!a.no_figures && r.epochs_done > 0)
    for (const auto& f : report::write_run_figures(opt.out_dir, a.data)) std::printf("wrote %s\n", f.c_str());
  std::printf("done: %d epochs, final train loss %.6f, val loss %.6f; run folder %s\n", r.epochs_done,
              r.train_loss, r.val_loss, opt.out_dir.c_str());
  std::fflush(stdout);
}

// Serving beside training: the server thread watches the folder the trainer writes.
void train_while_serving(const run::RunConfig& cfg, train::TrainOptions opt, const TrainArgs& a) {
  std::atomic<bool> stop{false};
  std::mutex m;
  serve::ModelServer* running = nullptr;
  serve::StopOnSignals signals([&](int) {
    stop = true;
    std::lock_guard<std::mutex> lock(m);
    if (running) running->stop();
  });
  serve::ServeOptions so;
  so.run_dir = opt.out_dir;
  so.host = a.serve_host;
  so.port = a.serve_port;
  so.snapshot.data_override = a.data;
  serve::ModelServer server(so);
  {
    std::lock_guard<std::mutex> lock(m);
    running = &server;
  }
  std::thread http([&server] { server.run(); });
  const auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(m);
      running = nullptr;
    }
    server.stop();
    if (http.joinable()) http.join();
  };
  std::printf("serving %s at http://%s:%d/ while training\n", opt.out_dir.c_str(), server.host().c_str(), server.port());
  std::fflush(stdout);
  opt.stop = &stop;
  try {
    train_and_report(cfg, opt, a);
  } catch (...) {
    finish();
    throw;
  }
  if (!stop) {
    std::printf("still serving at http://%s:%d/ (Ctrl-C to stop)\n", server.host().c_str(), server.port());
    std::fflush(stdout);
    http.join();  // until a signal stops the server
  }
  finish();
}

void train_command(const TrainArgs& a) {
  train::TrainOptions opt;
  run::RunConfig cfg;
  if (!a.resume.empty()) {
    require(a.config.empty(), "--resume takes the config from the run folder; drop --config");
    cfg = run::load_run_config(a.resume + "/config.json");
    opt.out_dir = a.resume;
    opt.resume = true;
  } else {
    require(!a.config.empty(), "train: give --config FILE (or --resume DIR)");
    cfg = run::load_run_config(a.config);
    opt.out_dir = a.out.empty() ? "runs/" + cfg.name : a.out;
  }
  if (a.epochs >= 0) run::set_epochs(cfg, a.epochs);
  if (a.seed >= 0) run::set_seed(cfg, static_cast<uint64_t>(a.seed));
  if (!a.data.empty()) run::set_dataset(cfg, a.data);
  if (a.limit > 0) run::set_train_limit(cfg, a.limit);
  if (!a.precision.empty()) cfg.train.precision = run::parse_precision_flag(a.precision);
  if (a.skip_bad) {
    require(cfg.data.is_image_folder(), "--skip-bad applies to a folder of image files (data.path), not to " + cfg.data.kind + " data");
    cfg.data.skip_bad = true;
  }
  opt.quiet = a.quiet;
  if (a.serve_port < 0) return train_and_report(cfg, opt, a);
  require(dist::size() == 1, "--serve runs in one process; under mpirun serve the run folder with `aekit serve --run DIR`");
  train_while_serving(cfg, opt, a);
}

}  // namespace

void add_train(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a model described by a JSON config");
  auto a = std::make_shared<TrainArgs>();
  cmd->add_option("--config", a->config, "Model/run config (JSON), e.g. configs/vanilla_mnist.json");
  cmd->add_option("--out", a->out, "Run folder to write (default runs/<config name>)");
  cmd->add_option("--resume", a->resume, "Continue the run in this folder from its last checkpoint");
  cmd->add_option("--epochs", a->epochs, "Override the number of epochs")->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", a->seed, "Override the seed")->check(CLI::NonNegativeNumber);
  cmd->add_option("--data", a->data, "Dataset overriding the config's: a folder of images or IDX files, a name, a file");
  cmd->add_option("--limit", a->limit, "Use only the first N training samples")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--skip-bad", a->skip_bad,
                "Image folders: leave unreadable images out with a warning (listed in the run folder's images.json)");
  cmd->add_option("--precision", a->precision,
                  "fp32 or bf16 (products in bf16 with fp32 accumulation), overriding the config's train.precision");
  cmd->add_flag("--quiet", a->quiet, "No live progress line");
  cmd->add_flag("--no-figures", a->no_figures, "Skip the PNG figures");
  cmd->add_option("--serve", a->serve_port, "Serve the run (API + web explorer) on this port while it trains")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--serve-host", a->serve_host, "Address for --serve (default 127.0.0.1: this machine only)");
  cmd->callback([a] {
    dist::Session mpi;
    if (dist::size() == 1) return train_command(*a);
    // One rank failing must end the job, not leave the others waiting in a collective: report
    // it with the rank and abort every rank with the usual exit code.
    try {
      train_command(*a);
    } catch (const InputError& e) {
      std::fprintf(stderr, "aekit: error: rank %d: %s\n", dist::rank(), e.what());
      dist::abort_job(2);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "aekit: failed: rank %d: %s\n", dist::rank(), e.what());
      dist::abort_job(1);
    }
  });
}

}  // namespace aekit::cli
