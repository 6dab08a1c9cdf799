#include "nn/registry.h"

#include <functional>
#include <map>

#include "nn/activation.h"
#include "nn/activity_l1.h"
#include "nn/batch_norm.h"
#include "nn/bidirectional.h"
#include "nn/conv2d.h"
#include "nn/conv2d_transpose.h"
#include "nn/dense.h"
#include "nn/dropout.h"
#include "nn/flatten.h"
#include "nn/kl_sparsity.h"
#include "nn/lstm.h"
#include "nn/max_pool2d.h"
#include "nn/repeat_vector.h"
#include "nn/reshape.h"
#include "nn/upsampling2d.h"
#include "tensor/error.h"

namespace aekit::nn {
namespace {

using json = nlohmann::json;

struct Entry {
  // Parses the keys (errors name the path) and returns a function that builds the layer, so
  // that errors of the layer's own constructor can be told apart and given the path too.
  std::function<std::function<LayerPtr()>(const json&, const std::string&)> parse;
  std::function<std::vector<config::KeyInfo>()> keys;
};

template <class L>
Entry declared() {
  return {[](const json& c, const std::string& path) -> std::function<LayerPtr()> {
            auto o = L::schema().parse(c, path);
            return [o] { return std::make_unique<L>(o); };
          },
          [] { return L::schema().keys(); }};
}

Entry activation(Act act) {
  return {[act](const json& c, const std::string& path) -> std::function<LayerPtr()> {
            auto o = Activation::schema(act).parse(c, path);
            return [act, o] { return std::make_unique<Activation>(act, o.alpha); };
          },
          [act] { return Activation::schema(act).keys(); }};
}

const std::map<std::string, Entry>& entries() {
  static const std::map<std::string, Entry> e{
      {"dense", declared<Dense>()},
      {"activity_l1", declared<ActivityL1>()},
      {"kl_sparsity", declared<KlSparsity>()},
      {"lstm", declared<Lstm>()},
      {"bidirectional", declared<Bidirectional>()},
      {"repeat_vector", declared<RepeatVector>()},
      {"linear", activation(Act::linear)},
      {"relu", activation(Act::relu)},
      {"leaky_relu", activation(Act::leaky_relu)},
      {"sigmoid", activation(Act::sigmoid)},
      {"tanh", activation(Act::tanh)},
      {"conv2d", declared<Conv2D>()},
      {"conv2d_transpose", declared<Conv2DTranspose>()},
      {"max_pool2d", declared<MaxPool2D>()},
      {"upsampling2d", declared<UpSampling2D>()},
      {"flatten", declared<Flatten>()},
      {"reshape", declared<Reshape>()},
      {"batch_norm", declared<BatchNorm>()},
      {"dropout", declared<Dropout>()},
  };
  return e;
}

const Entry& entry(const json& cfg, const std::string& path) {
  if (!cfg.is_object()) config::fail(path, "a layer must be an object with a \"type\", got " + config::describe_json(cfg));
  auto t = cfg.find("type");
  if (t == cfg.end()) config::fail(path, "a layer needs a \"type\" (one of " + config::join_values(layer_types()) + ")");
  if (!t->is_string()) config::fail(config::join(path, "type"), "expected a string, got " + config::describe_json(*t));
  const std::string type = *t;
  auto it = entries().find(type);
  if (it == entries().end())
    config::fail(config::join(path, "type"), "unknown layer type \"" + type + "\"" +
                                                 config::suggestion(type, layer_types()) +
                                                 " (known: " + config::join_values(layer_types()) + ")");
  return it->second;
}

}  // namespace

LayerPtr make_layer(const json& cfg, const std::string& path) {
  auto make = entry(cfg, path).parse(cfg, path);
  try {
    return make();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());
  }
}

std::vector<std::string> layer_types() {
  std::vector<std::string> v;
  for (const auto& [k, e] : entries()) v.push_back(k);
  return v;
}

std::vector<config::KeyInfo> layer_keys(const std::string& type) {
  auto it = entries().find(type);
  return it == entries().end() ? std::vector<config::KeyInfo>{} : it->second.keys();
}

}  // namespace aekit::nn
