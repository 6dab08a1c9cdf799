// The layer registry: JSON layer description -> layer. One line per layer type in registry.cpp.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nn/layer.h"

namespace aekit::nn {

// Throws InputError naming `where` (e.g. "encoder[1]") for unknown types or bad attributes.
LayerPtr make_layer(const nlohmann::json& cfg, const std::string& where);
std::vector<std::string> layer_types();

}  // namespace aekit::nn
