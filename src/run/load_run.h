// Reopens a finished (or interrupted) run folder: its config.json and the weights in
// model.safetensors, or in checkpoint.safetensors when training did not finish.
#pragma once
#include <memory>
#include <string>

#include "models/autoencoder.h"
#include "run/run_config.h"

namespace aekit::run {

struct LoadedRun {
  RunConfig cfg;
  std::unique_ptr<models::Autoencoder> model;
  std::string weights_path;
};

// The model is rebuilt from config.json and the input shape stored with its weights.
LoadedRun load_run(const std::string& dir);

}  // namespace aekit::run
