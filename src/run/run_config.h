// A run's configuration: one JSON file with "data", "model" and "train" sections (see configs/),
// parsed once into the typed structs below. Every object declares its keys once (config/schema.h):
// an unknown key, a wrong type or an out-of-range value is an InputError naming the file, the path
// ("train.optimizer.lr") and, for a misspelt key, the nearest valid one. Command-line overrides
// change the typed values; to_json() writes the whole config back from them.
//
// {"name": "vanilla_mnist", "description": "...",
//  "data":  {"kind": "images", "dataset": "mnist", ...}                       (DataSpec below)
//  "model": {"encoder": [...], "decoder": [...], "loss": {...}, "init": "keras", "vae": {...}}
//                                                           (models/autoencoder.h: ModelSpec)
//  "train": {"optimizer": {"type": "adam", "lr": 0.01}, "batch_size": 256, "epochs": 50,
//            "seed": 0, "clip_global_norm": 0, "clip_per_tensor_norm": 0,
//            "beta_schedule": {"type": "linear", "warmup_epochs": 10},   (VAEs; beta_schedule.h)
//            "pretrain": {"epochs": 5},       (stacked AEs: greedy layer-wise pretraining first)
//            "precision": "fp32"}             (or "bf16": products in bf16; docs/precision.md)
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/noise.h"
#include "kernels/precision.h"
#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "run/beta_schedule.h"

namespace aekit::run {

// The "data" section. "kind" chooses the source; each kind declares which of these keys it takes
// (run_config.cpp), so e.g. "glove" in an images config is an unknown key. See run_data.h for
// what each kind reads.
// Table columns by index ([0, 3]) or by header name (["age", "chol"]).
struct ColumnList {
  std::vector<int64_t> index;
  std::vector<std::string> names;
  bool empty() const { return index.empty() && names.empty(); }
  size_t size() const { return index.size() + names.size(); }
};

// A table's label column, by index (13) or by header name ("target"); neither = unlabelled.
struct LabelColumn {
  std::optional<int64_t> index;
  std::string name;
  bool given() const { return index || !name.empty(); }
};

struct DataSpec {
  std::string kind = "images";  // images | arrays | table | shapes | sentences
  std::string dataset;          // a name ("mnist", "heart") or a path
  int64_t train_limit = 0, test_limit = 0;  // 0 = all samples
  data::NoiseSpec noise;                    // denoising: corrupt the inputs, targets stay clean
  std::vector<int64_t> exclude_labels;      // images: classes left out of training (anomaly setups)
  // images from a folder of image files (instead of "dataset"), and arrays:
  std::string path;                          // the folder / the .npy or .npz file
  std::vector<int64_t> size{64, 64};         // images: [H, W] every image is resized to
  int64_t channels = 3;                      // images: 1 grey, 3 RGB
  std::string resize = "fit-crop";           // images: fit-crop | stretch | pad
  std::vector<int64_t> background{255, 255, 255};  // images: behind transparency and padding
  double test_fraction = 0.1;                // folders without train/ + test/, arrays
  bool skip_bad = false;                     // images: leave bad files out (listed in the run folder)
  std::string cache_dir;                     // images: "" = ~/.cache/aekit/images
  std::string key, labels_key, labels;       // arrays: .npz member names, a .npy labels file
  ColumnList columns;                        // table: feature columns (empty = all)
  LabelColumn label_column;                  // table: by index, labels = (column > label_above);
                                             // by name, the column's integer labels as they are
  double label_above = 0;
  std::string missing = "drop";              // table: rows with missing values: drop | reject
  bool standardize = false;                  // table: StandardScaler fitted on the training rows
  int64_t train_size = 20000, test_size = 2000;  // shapes
  std::optional<uint64_t> seed;             // shapes (default 1), sentences (split; default 42), splits (0)
  std::string glove;                        // sentences: GloVe text file
  int64_t seq_len = 50, vocab_size = 5000, embed_dim = 50, max_sentences = 0;

  bool is_image_folder() const { return kind == "images" && !path.empty(); }
};

struct PretrainSpec {
  int64_t epochs = 0;
};

struct TrainSpec {
  nn::OptimizerSpec optimizer;
  int64_t batch_size = 32;
  int64_t epochs = 1;
  uint64_t seed = 0;
  double clip_global_norm = 0, clip_per_tensor_norm = 0;
  std::optional<BetaSchedule> beta_schedule;  // none = constant beta
  std::optional<PretrainSpec> pretrain;
  kernels::Precision precision = kernels::Precision::fp32;
  int64_t pretrain_epochs() const { return pretrain ? pretrain->epochs : 0; }
  BetaSchedule schedule() const { return beta_schedule.value_or(BetaSchedule{}); }
};

struct RunConfig {
  std::string source;  // the file it was read from (not a key), for messages
  std::string name = "run", description;
  DataSpec data;
  nlohmann::json model;  // checked in full at parse time (models::check_model_config)
  TrainSpec train;
  nlohmann::json to_json() const;
};

// The model a config describes, for samples of `input_shape`; its InputErrors name the config file.
std::unique_ptr<models::Autoencoder> make_model(const RunConfig& cfg, const Shape& input_shape);

// InputError naming the config file when training the model at the config's batch size would not
// fit in the memory available now (models/memory_estimate.h).
void check_training_memory(const RunConfig& cfg, models::Autoencoder& model);

// InputError naming `source` (the file) for malformed JSON, unknown keys or bad values.
RunConfig parse_run_config(const nlohmann::json& j, const std::string& source);
RunConfig load_run_config(const std::string& path);
// The data kinds and their declared keys (for `aekit check --keys` and the tests).
std::vector<std::string> data_kinds();
std::vector<config::KeyInfo> data_keys(const std::string& kind);

// Command-line overrides; InputError for out-of-range values.
void set_epochs(RunConfig& c, int64_t epochs);
void set_seed(RunConfig& c, uint64_t seed);
// --data: the folder or file of a folder / arrays config, else the dataset name or path.
void set_dataset(RunConfig& c, const std::string& dataset);
void set_train_limit(RunConfig& c, int64_t limit);
// --precision fp32|bf16; InputError naming the allowed values for anything else.
kernels::Precision parse_precision_flag(const std::string& name);

}  // namespace aekit::run
