#include "run/run_config.h"

#include "io/atomic_file.h"
#include "io/json_text.h"
#include "models/autoencoder.h"
#include "models/memory_estimate.h"
#include "tensor/error.h"

namespace aekit::run {
namespace {

using json = nlohmann::json;

// Generous bounds: they catch typos ("epochs": 1e10) and negative values, not real runs.
constexpr double kMaxEpochs = 1e6, kMaxBatch = 1 << 24, kMaxRows = 1e12;

config::Schema<DataSpec> common_data_keys(const std::string& what, bool needs_dataset) {
  config::Schema<DataSpec> s(what);
  if (needs_dataset)
    s.required("dataset", &DataSpec::dataset);
  else
    s.key("dataset", &DataSpec::dataset);
  s.key("train_limit", &DataSpec::train_limit, config::between(0, kMaxRows))
      .key("test_limit", &DataSpec::test_limit, config::between(0, kMaxRows))
      .object("noise", &DataSpec::noise, &data::noise_schema);
  return s;
}

// "columns": [0, 3] or ["age", "chol"].
ColumnList read_columns(const json& v, const std::string& path) {
  ColumnList c;
  if (v.is_array() && !v.empty() && v[0].is_string())
    c.names = config::Codec<std::vector<std::string>>::read(v, path, {});
  else
    c.index = config::Codec<std::vector<int64_t>>::read(v, path, config::between(0, 1 << 20));
  return c;
}
json write_columns(const ColumnList& c) { return c.names.empty() ? json(c.index) : json(c.names); }

LabelColumn read_label_column(const json& v, const std::string& path) {
  LabelColumn c;
  if (v.is_string()) c.name = v.get<std::string>();
  else if (!v.is_null()) c.index = config::Codec<int64_t>::read(v, path, config::between(0, 1 << 20));
  return c;
}
json write_label_column(const LabelColumn& c) { return c.index ? json(*c.index) : c.name.empty() ? json() : json(c.name); }

const config::Schema<DataSpec>& images_schema() {
  static const auto s =
      common_data_keys("data (kind images: MNIST-format IDX files, or a folder of image files)", false)
          .key("exclude_labels", &DataSpec::exclude_labels, config::between(0, 255))
          .key("path", &DataSpec::path)
          .key("size", &DataSpec::size, config::between(2, 4096))
          .key("channels", &DataSpec::channels, config::between(1, 3))
          .one_of("resize", &DataSpec::resize, {"fit-crop", "stretch", "pad"})
          .key("background", &DataSpec::background, config::between(0, 255))
          .key("test_fraction", &DataSpec::test_fraction, config::between(0, 0.99))
          .key("seed", &DataSpec::seed)
          .key("skip_bad", &DataSpec::skip_bad)
          .key("cache_dir", &DataSpec::cache_dir)
          .finally([](DataSpec& d, const std::string& path) {
            if (d.dataset.empty() == d.path.empty())
              config::fail(path, "give either \"dataset\" (IDX files: mnist, fashion-mnist or a folder of them) or "
                                 "\"path\" (a folder of image files), not " +
                                     std::string(d.dataset.empty() ? "neither" : "both"));
            if (!d.path.empty() && !d.exclude_labels.empty())
              config::fail(config::join(path, "exclude_labels"), "applies to IDX datasets; for a folder, train on a folder of the normal classes");
            if (d.size.size() != 2) config::fail(config::join(path, "size"), "expected [height, width]");
            if (d.channels == 2) config::fail(config::join(path, "channels"), "must be 1 (grey) or 3 (RGB)");
            if (d.background.size() != 3) config::fail(config::join(path, "background"), "expected [r, g, b]");
          });
  return s;
}

const config::Schema<DataSpec>& arrays_schema() {
  static const auto s = common_data_keys("data (kind arrays: .npy / .npz files)", false)
                            .required("path", &DataSpec::path)
                            .key("key", &DataSpec::key)
                            .key("labels_key", &DataSpec::labels_key)
                            .key("labels", &DataSpec::labels)
                            .key("test_fraction", &DataSpec::test_fraction, config::between(0, 0.99))
                            .key("seed", &DataSpec::seed);
  return s;
}

const config::Schema<DataSpec>& table_schema() {
  static const auto s =
      common_data_keys("data (kind table: CSV)", true)
          .custom<ColumnList>("columns", &DataSpec::columns, false, "list of column indices or header names",
                              read_columns, write_columns)
          .custom<LabelColumn>("label_column", &DataSpec::label_column, false, "a column index or header name",
                               read_label_column, write_label_column)
          .key("label_above", &DataSpec::label_above)
          .one_of("missing", &DataSpec::missing, {"drop", "reject"})
          .key("standardize", &DataSpec::standardize);
  return s;
}

const config::Schema<DataSpec>& shapes_schema() {
  static const auto s = common_data_keys("data (kind shapes: synthetic)", false)
                            .key("train_size", &DataSpec::train_size, config::between(1, 1e8))
                            .key("test_size", &DataSpec::test_size, config::between(1, 1e8))
                            .key("seed", &DataSpec::seed);
  return s;
}

const config::Schema<DataSpec>& sentences_schema() {
  static const auto s = common_data_keys("data (kind sentences: Reuters + GloVe)", true)
                            .required("glove", &DataSpec::glove)
                            .key("seq_len", &DataSpec::seq_len, config::between(1, 1 << 16))
                            .key("vocab_size", &DataSpec::vocab_size, config::between(3, 1 << 24))
                            .key("embed_dim", &DataSpec::embed_dim, config::between(1, 1 << 16))
                            .key("max_sentences", &DataSpec::max_sentences, config::between(0, kMaxRows))
                            .key("seed", &DataSpec::seed);
  return s;
}

struct Kind {
  const char* name;
  const config::Schema<DataSpec>& (*schema)();
};
constexpr Kind kKinds[] = {
    {"images", &images_schema}, {"arrays", &arrays_schema}, {"table", &table_schema}, {"shapes", &shapes_schema}, {"sentences", &sentences_schema}};

const config::Schema<DataSpec>& data_schema_of(const std::string& kind, const std::string& path) {
  for (const Kind& k : kKinds)
    if (kind == k.name) return k.schema();
  config::fail(config::join(path, "kind"), "unknown data kind \"" + kind + "\"" + config::suggestion(kind, data_kinds()) +
                                               " (known: " + config::join_values(data_kinds()) + ")");
}

// The keys of an images section that reads a folder of image files.
constexpr const char* kFolderKeys[] = {"path", "size", "channels", "resize", "background", "test_fraction", "seed", "skip_bad", "cache_dir"};

DataSpec parse_data(const json& j, const std::string& path) {
  if (!j.is_object()) config::fail(path, "expected an object, got " + config::describe_json(j));
  DataSpec d;
  if (auto k = j.find("kind"); k != j.end()) d.kind = config::Codec<std::string>::read(*k, config::join(path, "kind"), {});
  data_schema_of(d.kind, path).parse_into(j, path, d, {"kind"});
  if (d.kind == "images" && !d.is_image_folder())
    for (const char* k : kFolderKeys)
      if (j.contains(k) && std::string(k) != "path")
        config::fail(config::join(path, k), "applies to a folder of image files (\"path\"), not to IDX files (\"dataset\")");
  return d;
}

json write_data(const DataSpec& d) {
  json j = data_schema_of(d.kind, "data").write(d);
  j["kind"] = d.kind;
  // An images section is either IDX files or a folder of image files: write back only its keys.
  if (d.kind == "images") {
    if (d.is_image_folder()) {
      j.erase("dataset");
      j.erase("exclude_labels");
    } else {
      for (const char* k : kFolderKeys) j.erase(k);
    }
  }
  if (d.kind == "table" && !d.label_column.given()) j.erase("label_column");
  return j;
}

const config::Schema<PretrainSpec>& pretrain_schema() {
  static const auto s =
      config::Schema<PretrainSpec>("pretrain").key("epochs", &PretrainSpec::epochs, config::between(0, kMaxEpochs));
  return s;
}

const config::Schema<TrainSpec>& train_schema() {
  static const auto s =
      config::Schema<TrainSpec>("train")
          .custom<nn::OptimizerSpec>("optimizer", &TrainSpec::optimizer, true, "object (\"type\": \"adam\" | \"sgd\")",
                                     nn::parse_optimizer, nn::write_optimizer)
          .key("batch_size", &TrainSpec::batch_size, config::between(1, kMaxBatch))
          .key("epochs", &TrainSpec::epochs, config::between(0, kMaxEpochs))
          .key("seed", &TrainSpec::seed)
          .key("clip_global_norm", &TrainSpec::clip_global_norm, config::at_least(0))
          .key("clip_per_tensor_norm", &TrainSpec::clip_per_tensor_norm, config::at_least(0))
          .object("beta_schedule", &TrainSpec::beta_schedule, &beta_schedule_schema)
          .object("pretrain", &TrainSpec::pretrain, &pretrain_schema)
          .choice("precision", &TrainSpec::precision,
                  {{"fp32", kernels::Precision::fp32}, {"bf16", kernels::Precision::bf16}});
  return s;
}

const config::Schema<RunConfig>& run_schema() {
  static const auto s =
      config::Schema<RunConfig>("a run config")
          .key("name", &RunConfig::name)
          .key("description", &RunConfig::description)
          .custom<DataSpec>("data", &RunConfig::data, true, "object", parse_data, write_data)
          .custom<json>("model", &RunConfig::model, true, "object",
                        [](const json& v, const std::string& path) {
                          models::check_model_config(v, path);
                          return v;
                        },
                        [](const json& v) { return v; })
          .object("train", &RunConfig::train, &train_schema, true);
  return s;
}

}  // namespace

namespace {
// Runs f, giving its InputError the config file's name (the model's own errors know only the path).
template <class F>
auto naming_the_config(const RunConfig& cfg, F&& f) {
  try {
    return f();
  } catch (const InputError& e) {
    throw InputError((cfg.source.empty() ? cfg.name : cfg.source) + ": " + e.what());
  }
}
}  // namespace

std::unique_ptr<models::Autoencoder> make_model(const RunConfig& cfg, const Shape& input_shape) {
  return naming_the_config(cfg, [&] { return std::make_unique<models::Autoencoder>(cfg.model, input_shape); });
}

void check_training_memory(const RunConfig& cfg, models::Autoencoder& model) {
  naming_the_config(cfg, [&] { models::check_training_memory(model, cfg.train.batch_size); });
}

std::vector<std::string> data_kinds() {
  std::vector<std::string> v;
  for (const Kind& k : kKinds) v.push_back(k.name);
  return v;
}

std::vector<config::KeyInfo> data_keys(const std::string& kind) { return data_schema_of(kind, "data").keys(); }

json RunConfig::to_json() const { return run_schema().write(*this); }

RunConfig parse_run_config(const json& j, const std::string& source) {
  try {
    RunConfig c = run_schema().parse(j, "", {});
    c.source = source;
    return c;
  } catch (const InputError& e) {
    throw InputError(source + ": " + e.what());
  } catch (const json::exception& e) {
    throw InputError(source + ": " + e.what());
  }
}

RunConfig load_run_config(const std::string& path) {
  return parse_run_config(io::parse_json(io::read_file(path), path), path);  // bounded depth, every JSON error named
}

void set_epochs(RunConfig& c, int64_t epochs) {
  if (epochs < 0 || epochs > kMaxEpochs) throw InputError("--epochs must be in [0, 1000000], got " + std::to_string(epochs));
  c.train.epochs = epochs;
}

void set_seed(RunConfig& c, uint64_t seed) { c.train.seed = seed; }

void set_dataset(RunConfig& c, const std::string& dataset) {
  if (c.data.is_image_folder() || c.data.kind == "arrays")
    c.data.path = dataset;
  else
    c.data.dataset = dataset;
}

kernels::Precision parse_precision_flag(const std::string& name) {
  if (auto p = kernels::parse_precision(name)) return *p;
  throw InputError("--precision: \"" + name + "\" is not one of \"fp32\", \"bf16\"");
}

void set_train_limit(RunConfig& c, int64_t limit) {
  if (limit < 0) throw InputError("--limit must be >= 0, got " + std::to_string(limit));
  c.data.train_limit = limit;
}

}  // namespace aekit::run
