#include "run/checkpoint.h"

#include <cstring>

#include "io/json_text.h"
#include "io/safetensors.h"
#include "tensor/error.h"

namespace aekit::run {
namespace {

void fill(const io::TensorFile& f, const std::string& key, Tensor& dst, const std::string& path) {
  auto it = f.tensors.find(key);
  require(it != f.tensors.end(), path + ": missing tensor '" + key + "'");
  require(it->second.shape() == dst.shape(), path + ": tensor '" + key + "' has shape " +
                                                 to_string(it->second.shape()) + ", the model needs " +
                                                 to_string(dst.shape()));
  std::memcpy(dst.data(), it->second.data(), dst.size() * sizeof(float));
}

}  // namespace

void save_checkpoint(const std::string& path, const nlohmann::json& run_config, models::Autoencoder& model,
                     nn::Optimizer& opt, const TrainState& s) {
  const auto params = model.params();
  io::TensorFile f;
  f.metadata["input_shape"] = nlohmann::json(model.input_shape()).dump();
  for (const auto& p : params) f.tensors[p.name] = *p.value;
  for (const auto& [name, t] : opt.state(params)) f.tensors["optimizer." + name] = *t;
  f.metadata["format"] = "aekit-checkpoint-1";
  f.metadata["config"] = run_config.dump();
  f.metadata["epochs_done"] = std::to_string(s.epochs_done);
  f.metadata["optimizer_steps"] = std::to_string(opt.steps());
  f.metadata["history"] = s.history.dump();
  io::save_safetensors(path, f);
}

TrainState load_checkpoint(const std::string& path, const std::vector<nn::Param>& params,
                           nn::Optimizer& opt, nlohmann::json* run_config) {
  io::TensorFile f = io::load_safetensors(path);
  require(f.metadata.count("format") && f.metadata["format"] == "aekit-checkpoint-1",
          path + ": not an aekit checkpoint (no format tag)");
  for (const auto& p : params) fill(f, p.name, *p.value, path);
  for (const auto& [name, t] : opt.state(params)) fill(f, "optimizer." + name, *t, path);
  TrainState s;
  try {
    s.epochs_done = std::stoi(f.metadata.at("epochs_done"));
    opt.set_steps(std::stoll(f.metadata.at("optimizer_steps")));
    s.history = io::parse_json(f.metadata.at("history"), path + ": history metadata");
    if (run_config) *run_config = io::parse_json(f.metadata.at("config"), path + ": config metadata");
  } catch (const std::exception& e) {
    throw InputError(path + ": corrupt checkpoint metadata (" + e.what() + ")");
  }
  return s;
}

void save_weights(const std::string& path, models::Autoencoder& model) {
  io::TensorFile f;
  for (const auto& p : model.params()) f.tensors[p.name] = *p.value;
  f.metadata["format"] = "aekit-weights-1";
  f.metadata["model"] = model.config().dump();
  f.metadata["input_shape"] = nlohmann::json(model.input_shape()).dump();
  io::save_safetensors(path, f);
}

void load_weights(const std::string& path, const std::vector<nn::Param>& params) {
  io::TensorFile f = io::load_safetensors(path);
  for (const auto& p : params) fill(f, p.name, *p.value, path);
}

}  // namespace aekit::run

namespace aekit::run {

Shape stored_input_shape(const std::string& path) {
  io::TensorFile f = io::load_safetensors(path);
  auto it = f.metadata.find("input_shape");
  require(it != f.metadata.end(), path + ": no input_shape in its metadata (written by an older aekit?)");
  Shape shape;
  try {
    shape = io::parse_json(it->second, path + ": input_shape metadata").get<Shape>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": bad input_shape metadata (" + e.what() + ")");
  }
  for (int64_t d : shape) require(d > 0, path + ": bad input_shape metadata " + to_string(shape));
  checked_numel(shape, path + ": input_shape metadata");
  return shape;
}

}  // namespace aekit::run
