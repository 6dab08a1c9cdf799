#include "nn/registry.h"

#include <functional>
#include <map>

#include "nn/activation.h"
#include "nn/activity_l1.h"
#include "nn/bidirectional.h"
#include "nn/lstm.h"
#include "nn/repeat_vector.h"
#include "nn/dense.h"
#include "nn/kl_sparsity.h"
#include "nn/batch_norm.h"
#include "nn/conv2d.h"
#include "nn/conv2d_transpose.h"
#include "nn/dropout.h"
#include "nn/flatten.h"
#include "nn/max_pool2d.h"
#include "nn/reshape.h"
#include "nn/upsampling2d.h"
#include "tensor/error.h"

namespace aekit::nn {
namespace {

using json = nlohmann::json;
using Factory = std::function<LayerPtr(const json&)>;

LayerPtr activation(const json& c) {
  Act a = parse_act(c["type"].get<std::string>());
  return std::make_unique<Activation>(a, c.value("alpha", 0.3f));
}

const std::map<std::string, Factory>& factories() {
  static const std::map<std::string, Factory> f{
      {"dense",
       [](const json& c) {
         require(c.contains("units") && c["units"].is_number_integer(),
                 "needs an integer \"units\"");
         return std::make_unique<Dense>(c["units"].get<int64_t>(),
                                        parse_act(c.value("activation", "linear")),
                                        c.value("alpha", 0.3f), c.value("use_bias", true));
       }},
      {"activity_l1", [](const json& c) { return std::make_unique<ActivityL1>(c.value("coef", 1e-4f)); }},
      {"kl_sparsity",
       [](const json& c) { return std::make_unique<KlSparsity>(c.value("rho", 0.05f), c.value("beta", 3.0f)); }},
      {"lstm", Lstm::from_config},
      {"bidirectional", Bidirectional::from_config},
      {"repeat_vector", RepeatVector::from_config},
      {"linear", activation},
      {"relu", activation},
      {"leaky_relu", activation},
      {"sigmoid", activation},
      {"tanh", activation},
      {"conv2d", Conv2D::from_config},
      {"conv2d_transpose", Conv2DTranspose::from_config},
      {"max_pool2d", MaxPool2D::from_config},
      {"upsampling2d", UpSampling2D::from_config},
      {"flatten", Flatten::from_config},
      {"reshape", Reshape::from_config},
      {"batch_norm", BatchNorm::from_config},
      {"dropout", Dropout::from_config},
  };
  return f;
}

}  // namespace

LayerPtr make_layer(const json& cfg, const std::string& where) {
  if (!cfg.is_object() || !cfg.contains("type") || !cfg["type"].is_string())
    throw InputError(where + ": a layer must be an object with a \"type\" string, got " + cfg.dump());
  const std::string type = cfg["type"];
  auto it = factories().find(type);
  if (it == factories().end()) {
    std::string known;
    for (const auto& [k, v] : factories()) known += (known.empty() ? "" : ", ") + k;
    throw InputError(where + ": unknown layer type '" + type + "' (known: " + known + ")");
  }
  try {
    return it->second(cfg);
  } catch (const InputError& e) {
    throw InputError(where + " (" + type + "): " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(where + " (" + type + "): bad attribute: " + e.what());
  }
}

std::vector<std::string> layer_types() {
  std::vector<std::string> v;
  for (const auto& [k, f] : factories()) v.push_back(k);
  return v;
}

}  // namespace aekit::nn
