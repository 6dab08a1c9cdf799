// Checkpoints and weight files, both safetensors, both written atomically.
//
//   model.safetensors       the weights only, keyed like a PyTorch state_dict
//                           ("encoder.0.weight", ...), with the model config and the input
//                           shape in __metadata__ (so the model can be rebuilt from the file).
//   checkpoint.safetensors  the weights, the optimizer's moments ("optimizer.<param>.m"), and in
//                           __metadata__: the run config, completed epochs, optimizer step
//                           count and the metrics history — everything --resume needs.
// Random streams need no saving: each epoch draws from a stream derived from (seed, epoch).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/autoencoder.h"
#include "nn/layer.h"
#include "nn/optimizer.h"

namespace aekit::run {

struct TrainState {
  int epochs_done = 0;
  nlohmann::json history = nlohmann::json::array();  // one object per completed epoch
};

void save_checkpoint(const std::string& path, const nlohmann::json& run_config, models::Autoencoder& model,
                     nn::Optimizer& opt, const TrainState& s);
// Fills params and the optimizer state; returns the training state and (via run_config) the
// config stored in the file. InputError for missing/mismatched tensors.
TrainState load_checkpoint(const std::string& path, const std::vector<nn::Param>& params,
                           nn::Optimizer& opt, nlohmann::json* run_config = nullptr);

void save_weights(const std::string& path, models::Autoencoder& model);
void load_weights(const std::string& path, const std::vector<nn::Param>& params);
// The per-sample input shape a weights file or checkpoint was trained on.
Shape stored_input_shape(const std::string& path);

}  // namespace aekit::run
