// aekit train --config FILE --out DIR [--epochs N] [--seed S] [--data DIR] [--limit N]
// aekit train --resume DIR [--epochs N]
// Under mpirun / srun: data-parallel over the ranks (docs/distributed.md).
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "dist/world.h"
#include "report/run_figures.h"
#include "tensor/error.h"
#include "train/trainer.h"

namespace aekit::cli {
namespace {

struct Args {
  std::string config, out, resume, data;
  int epochs = -1;
  int64_t seed = -1, limit = 0;
  bool quiet = false, no_figures = false, skip_bad = false;
};

void train_command(const Args& a) {
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
  if (a.skip_bad) {
    require(cfg.data.is_image_folder(), "--skip-bad applies to a folder of image files (data.path), not to " + cfg.data.kind + " data");
    cfg.data.skip_bad = true;
  }
  opt.quiet = a.quiet;
  train::TrainResult r = train::train(cfg, opt);
  if (dist::rank() != 0) return;  // rank 0 alone writes the run folder
  if (!a.no_figures && r.epochs_done > 0)
    for (const auto& f : report::write_run_figures(opt.out_dir, a.data)) std::printf("wrote %s\n", f.c_str());
  std::printf("done: %d epochs, final train loss %.6f, val loss %.6f; run folder %s\n", r.epochs_done,
              r.train_loss, r.val_loss, opt.out_dir.c_str());
}

}  // namespace

void add_train(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a model described by a JSON config");
  auto a = std::make_shared<Args>();
  cmd->add_option("--config", a->config, "Model/run config (JSON), e.g. configs/vanilla_mnist.json");
  cmd->add_option("--out", a->out, "Run folder to write (default runs/<config name>)");
  cmd->add_option("--resume", a->resume, "Continue the run in this folder from its last checkpoint");
  cmd->add_option("--epochs", a->epochs, "Override the number of epochs")->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", a->seed, "Override the seed")->check(CLI::NonNegativeNumber);
  cmd->add_option("--data", a->data, "Dataset overriding the config's: a folder of images or IDX files, a name, a file");
  cmd->add_option("--limit", a->limit, "Use only the first N training samples")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--skip-bad", a->skip_bad,
                "Image folders: leave unreadable images out with a warning (listed in the run folder's images.json)");
  cmd->add_flag("--quiet", a->quiet, "No live progress line");
  cmd->add_flag("--no-figures", a->no_figures, "Skip the PNG figures");
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
