#include "run/load_run.h"

#include <filesystem>

#include "io/safetensors.h"
#include "tensor/error.h"
#include "run/checkpoint.h"

namespace aekit::run {

LoadedRun load_run(const std::string& dir) {
  require(std::filesystem::is_directory(dir), dir + ": no such run folder");
  LoadedRun r;
  r.cfg = load_run_config(dir + "/config.json");
  r.weights_path = dir + "/model.safetensors";
  if (!std::filesystem::exists(r.weights_path)) r.weights_path = dir + "/checkpoint.safetensors";
  require(std::filesystem::exists(r.weights_path), dir + ": no model.safetensors or checkpoint.safetensors");
  r.model = std::make_unique<models::Autoencoder>(r.cfg.model, stored_input_shape(r.weights_path));
  load_weights(r.weights_path, r.model->params());
  return r;
}

}  // namespace aekit::run
