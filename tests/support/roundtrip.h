// Save/load round trip for a layer: its config() rebuilds it through the registry, its params
// go through a safetensors file on disk, and the rebuilt layer's eval forward must equal the
// original's bit for bit.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "io/safetensors.h"
#include "nn/registry.h"

namespace aekit::testing {

inline ::testing::AssertionResult check_roundtrip(nn::Layer& layer, const Tensor& x) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("aekit_roundtrip_" + std::to_string(::getpid()) + ".safetensors"))
                               .string();
  io::TensorFile f;
  for (const auto& p : layer.params()) f.tensors[p.name] = *p.value;
  io::save_safetensors(path, f);
  nn::LayerPtr copy = nn::make_layer(layer.config(), "roundtrip");
  copy->build(layer.in_shape());
  io::TensorFile g = io::load_safetensors(path);
  std::filesystem::remove(path);
  for (const auto& p : copy->params()) {
    auto it = g.tensors.find(p.name);
    if (it == g.tensors.end()) return ::testing::AssertionFailure() << "missing " << p.name;
    if (it->second.shape() != p.value->shape()) return ::testing::AssertionFailure() << "shape of " << p.name;
    *p.value = it->second;
  }
  Tensor a = layer.forward(x, nn::Mode::eval);
  const Tensor& b = copy->forward(x, nn::Mode::eval);
  if (a.shape() != b.shape()) return ::testing::AssertionFailure() << "output shapes differ";
  if (std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) != 0)
    return ::testing::AssertionFailure() << "outputs differ after reload";
  return ::testing::AssertionSuccess();
}

}  // namespace aekit::testing
