// aekit check --config FILE [--data PATH]: validates a config without training and prints the
// model summary (layers, shapes, parameter counts), the loss conventions and the memory estimate.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "data/image_folder.h"
#include "models/autoencoder.h"
#include "models/memory_estimate.h"
#include "models/summary.h"
#include "nn/optimizer.h"
#include "run/loss_conventions.h"
#include "run/run_config.h"
#include "run/run_data.h"
#include "tensor/memory.h"

namespace aekit::cli {

void add_check(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "Validate a config without training; print the model summary");
  struct Args {
    std::string config, data;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--config", a->config, "Run config (JSON)")->required();
  cmd->add_option("--data", a->data, "Dataset folder or name, overriding the config's");
  cmd->callback([a] {
    run::RunConfig cfg = run::load_run_config(a->config);
    if (!a->data.empty()) run::set_dataset(cfg, a->data);
    const Shape in = run::sample_shape(cfg);
    std::unique_ptr<models::Autoencoder> model_ptr = run::make_model(cfg, in);
    models::Autoencoder& model = *model_ptr;
    std::printf("%s: %s\n", a->config.c_str(), cfg.name.c_str());
    const std::string from = !cfg.data.path.empty() ? cfg.data.path : cfg.data.dataset;
    std::printf("data: kind %s%s, samples %s%s\n", cfg.data.kind.c_str(), from.empty() ? "" : (" from " + from).c_str(),
                to_string(in).c_str(),
                cfg.data.is_image_folder() ? (" (" + cfg.data.resize + ", decoded once into a cache)").c_str() : "");
    if (cfg.data.is_image_folder()) {  // the folder is listed (cheap), not decoded
      data::ImageFolderOptions o;
      o.test_fraction = cfg.data.test_fraction, o.seed = cfg.data.seed.value_or(0), o.skip_bad = cfg.data.skip_bad;
      const data::ImageFolderScan scan = data::scan_image_folder(run::expand_home(cfg.data.path), o);
      std::printf("folder: %zu train / %zu test files, %zu classes%s\n", scan.train.size(), scan.test.size(),
                  scan.classes.size(), scan.skipped.empty() ? "" : (", " + std::to_string(scan.skipped.size()) + " skipped").c_str());
    }
    std::printf("%s", models::model_summary(model).c_str());
    for (const std::string& line : run::loss_conventions(cfg, model)) std::printf("%s\n", line.c_str());
    std::printf("optimizer %s; batch %lld; %lld epochs; seed %llu\n", nn::write_optimizer(cfg.train.optimizer).dump().c_str(),
                static_cast<long long>(cfg.train.batch_size), static_cast<long long>(cfg.train.epochs),
                static_cast<unsigned long long>(cfg.train.seed));
    const models::MemoryEstimate m = models::estimate_training_memory(model, cfg.train.batch_size);
    std::printf("memory to train (estimate): %s (parameters and optimizer state %s, activations %s); %s available\n",
                format_bytes(m.total()).c_str(), format_bytes(m.parameters).c_str(), format_bytes(m.activations).c_str(),
                format_bytes(static_cast<double>(available_memory_bytes())).c_str());
    run::check_training_memory(cfg, model);
    std::printf("config OK\n");
  });
}

}  // namespace aekit::cli
