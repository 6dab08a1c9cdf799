// A run's configuration: one JSON file describing data, model and training (see configs/).
//
// {
//   "name": "vanilla_mnist", "description": "...",
//   "data":  {"dataset": "mnist" | "fashion-mnist" | "<folder with IDX files>",
//             "train_limit": 0, "test_limit": 0,           // 0 = all samples
//             "noise": {...}, "kind": "images" | "table", ...}   (see run_data.h)
//   "model": {"encoder": [...layers], "decoder": [...layers],
//             "loss": {"type": "mse", "reduction": "mean", "scale": 1}, "init": "keras"},
//   "train": {"optimizer": {"type": "adam", "lr": 0.01}, "batch_size": 256, "epochs": 50,
//             "seed": 0, "clip_global_norm": 0, "clip_per_tensor_norm": 0,
//             "beta_schedule": {"type": "linear", "warmup_epochs": 10},     (VAEs only)
//             "pretrain": {"epochs": 5}}          (stacked AEs: greedy layer-wise pretraining)
// }
// Unknown keys are errors (a typo must not silently fall back to a default).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace aekit::run {

struct RunConfig {
  nlohmann::json json;  // the whole config, with command-line overrides applied
  std::string name;
  std::string dataset;
  nlohmann::json data;  // the whole "data" section (kind-specific keys: see run_data.h)
  int64_t train_limit = 0, test_limit = 0;
  nlohmann::json model, optimizer;
  int64_t batch_size = 32;
  int epochs = 1;
  uint64_t seed = 0;
  double clip_global_norm = 0, clip_per_tensor_norm = 0;
  nlohmann::json beta_schedule;  // null = constant (see beta_schedule.h)
  int pretrain_epochs = 0;       // > 0: greedy layer-wise pretraining first (pretrain.h)
};

// InputError naming `source` (the file) for malformed JSON, unknown keys or bad values.
RunConfig parse_run_config(const nlohmann::json& j, const std::string& source);
RunConfig load_run_config(const std::string& path);
// Re-derives the typed fields after json was edited (overrides).
void set_epochs(RunConfig& c, int epochs);
void set_seed(RunConfig& c, uint64_t seed);
void set_dataset(RunConfig& c, const std::string& dataset);

}  // namespace aekit::run
