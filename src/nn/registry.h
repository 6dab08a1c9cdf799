// The layer registry: JSON layer description -> layer. One line per layer type in registry.cpp;
// each layer's keys are declared by its own schema (Layer::Options, see layer.h).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/schema.h"
#include "nn/layer.h"

namespace aekit::nn {

// Throws InputError naming `path` (e.g. "model.encoder[1]") for an unknown type (with the
// nearest known one), unknown keys, wrong types or out-of-range values.
LayerPtr make_layer(const nlohmann::json& cfg, const std::string& path);
std::vector<std::string> layer_types();
// The declared keys of a layer type (for `aekit check --keys` and the table-driven tests).
std::vector<config::KeyInfo> layer_keys(const std::string& type);

}  // namespace aekit::nn
