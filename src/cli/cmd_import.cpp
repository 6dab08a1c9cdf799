// aekit import --config X.json --weights W.safetensors --out RUN: a run folder from weights
// trained elsewhere (a PyTorch state_dict saved as safetensors, named as in our model.safetensors:
// "encoder.0.weight", "vae.mu.bias", ...). The config's data fixes the input shape (and a scaler
// or vocabulary, as `aekit train` would write them); then `aekit eval / reconstruct / export`
// work on RUN as on a trained run.
#include <cstdio>

#include "cli/commands.h"
#include "io/atomic_file.h"
#include "run/checkpoint.h"
#include "run/run_config.h"
#include "run/run_data.h"
#include "run/sentence_run.h"
#include "tensor/error.h"

namespace aekit::cli {

void add_import(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Make a run folder from weights trained elsewhere (safetensors)");
  struct Args {
    std::string config, weights, out, data;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--config", a->config, "The model/run config (JSON) the weights belong to")->required();
  cmd->add_option("--weights", a->weights, "safetensors file of float32 tensors named as aekit names them")->required();
  cmd->add_option("--out", a->out, "Run folder to write")->required();
  cmd->add_option("--data", a->data, "Dataset folder or name, overriding the config's");
  cmd->callback([a] {
    run::RunConfig cfg = run::load_run_config(a->config);
    if (!a->data.empty()) run::set_dataset(cfg, a->data);
    run::RunData data = run::load_run_data(cfg);
    const Shape in(data.test.x.shape().begin() + 1, data.test.x.shape().end());
    models::Autoencoder model(cfg.model, in);
    run::load_weights(a->weights, model.params());  // every tensor present, shapes checked
    io::make_dirs(a->out);
    io::write_file_atomic(a->out + "/config.json", cfg.to_json().dump(2) + "\n");
    if (data.scaler) io::write_file_atomic(a->out + "/scaler.json", data.scaler->to_json().dump(2) + "\n");
    if (data.text) run::save_sentence_run(a->out, *data.text);
    run::save_weights(a->out + "/model.safetensors", model);
    std::printf("imported %zu tensors from %s; run folder %s\n", model.params().size(), a->weights.c_str(),
                a->out.c_str());
  });
}

}  // namespace aekit::cli
