#include "run/run_config.h"

#include <set>

#include "io/atomic_file.h"
#include "data/noise.h"
#include "run/beta_schedule.h"
#include "tensor/error.h"

namespace aekit::run {
namespace {
using json = nlohmann::json;

void only_keys(const json& j, const std::set<std::string>& allowed, const std::string& where) {
  require(j.is_object(), where + ": expected an object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!allowed.count(it.key())) {
      std::string list;
      for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
      throw InputError(where + ": unknown key \"" + it.key() + "\" (expected " + list + ")");
    }
}
}  // namespace

RunConfig parse_run_config(const json& j, const std::string& source) {
  try {
    only_keys(j, {"name", "description", "data", "model", "train"}, "config");
    RunConfig c;
    c.json = j;
    c.name = j.value("name", "run");
    require(j.contains("data"), "config: missing \"data\"");
    require(j.contains("model"), "config: missing \"model\"");
    require(j.contains("train"), "config: missing \"train\"");
    const json& d = j["data"];
    only_keys(d, {"dataset", "kind", "train_limit", "test_limit", "exclude_labels", "noise", "columns", "label_column",
                  "label_above", "standardize", "train_size", "test_size", "seed", "glove", "seq_len",
                  "vocab_size", "embed_dim", "max_sentences"},
              "data");
    c.data = d;
    data::parse_noise(d.value("noise", json()));  // validate now, not after loading the data
    require(d.contains("dataset") && d["dataset"].is_string(), "data: needs a \"dataset\" string");
    c.dataset = d["dataset"];
    c.train_limit = d.value("train_limit", int64_t{0});
    c.test_limit = d.value("test_limit", int64_t{0});
    require(c.train_limit >= 0 && c.test_limit >= 0, "data: limits must be >= 0");
    c.model = j["model"];
    const json& t = j["train"];
    only_keys(t, {"optimizer", "batch_size", "epochs", "seed", "clip_global_norm", "clip_per_tensor_norm", "beta_schedule", "pretrain"},
              "train");
    require(t.contains("optimizer"), "train: missing \"optimizer\"");
    c.optimizer = t["optimizer"];
    c.batch_size = t.value("batch_size", int64_t{32});
    c.epochs = t.value("epochs", 1);
    c.seed = t.value("seed", uint64_t{0});
    c.clip_global_norm = t.value("clip_global_norm", 0.0);
    c.clip_per_tensor_norm = t.value("clip_per_tensor_norm", 0.0);
    if (t.contains("pretrain")) {
      only_keys(t["pretrain"], {"epochs"}, "train.pretrain");
      c.pretrain_epochs = t["pretrain"].value("epochs", 0);
      require(c.pretrain_epochs >= 0, "train.pretrain: epochs must be >= 0");
    }
    if (t.contains("beta_schedule")) {
      c.beta_schedule = t["beta_schedule"];
      parse_beta_schedule(c.beta_schedule);  // validate now, not after loading the data
    }
    require(c.batch_size > 0, "train: batch_size must be positive");
    require(c.epochs >= 0, "train: epochs must be >= 0");
    require(c.clip_global_norm >= 0 && c.clip_per_tensor_norm >= 0, "train: clip norms must be >= 0");
    return c;
  } catch (const InputError& e) {
    throw InputError(source + ": " + e.what());
  } catch (const json::exception& e) {
    throw InputError(source + ": wrong value type: " + e.what());
  }
}

RunConfig load_run_config(const std::string& path) {
  const std::string text = io::read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
  return parse_run_config(j, path);
}

void set_epochs(RunConfig& c, int epochs) {
  require(epochs >= 0, "--epochs must be >= 0");
  c.epochs = epochs;
  c.json["train"]["epochs"] = epochs;
}

void set_seed(RunConfig& c, uint64_t seed) {
  c.seed = seed;
  c.json["train"]["seed"] = seed;
}

void set_dataset(RunConfig& c, const std::string& dataset) {
  c.dataset = dataset;
  c.data["dataset"] = dataset;
  c.json["data"]["dataset"] = dataset;
}

}  // namespace aekit::run
