// Sequential: a stack of layers run in order. Parameter names are "<prefix>.<index>.<name>",
// e.g. "encoder.0.weight", the keys of the safetensors files.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nn/layer.h"

namespace aekit::models {

class Sequential {
 public:
  explicit Sequential(std::string prefix) : prefix_(prefix), path_(std::move(prefix)) {}
  // Layers from a config list; `path` ("model.encoder") names them in errors.
  void add_from_config(const nlohmann::json& layers, const std::string& path);
  void add(nn::LayerPtr layer) { layers_.push_back(std::move(layer)); }
  // Builds every layer and fuses neighbours where both can: the channel-blocked layout between
  // them, an activation derivative handed to the next layer, a RepeatVector's gradient summed by
  // the recurrent layer after it (nn/fusable.h). fuse = false runs every
  // layer on its own, all boundaries plain NCHW: the reference the tests compare with.
  Shape build(const Shape& in, bool fuse = true);
  void init(Rng& rng, nn::Init scheme);

  const Tensor& forward(const Tensor& x, nn::Mode mode);
  const Tensor& backward(const Tensor& dy, bool need_dx);
  // Called with a layer's index right after its backward wrote its gradients (data-parallel
  // training starts reducing them while the layers below still compute).
  void set_after_backward(std::function<void(size_t layer)> f) { after_backward_ = std::move(f); }
  std::vector<nn::Param> params();
  double penalty() const;
  void set_rng(Rng* rng);
  double flops_per_sample() const;
  nlohmann::json config() const;

  size_t size() const { return layers_.size(); }
  size_t blocked_boundaries() const { return blocked_boundaries_; }  // joined by the last build
  size_t bf16_boundaries() const { return bf16_boundaries_; }        // of those, bf16 under bf16
  size_t handed_activations() const { return handed_activations_; }  // derivatives handed on
  size_t summed_repeats() const { return summed_repeats_; }  // repeated inputs' gradients summed early
  nn::Layer& layer(size_t i) { return *layers_[i]; }
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
  std::string path_;  // the config path of the layer list, for errors
  std::vector<nn::LayerPtr> layers_;
  size_t blocked_boundaries_ = 0, handed_activations_ = 0, summed_repeats_ = 0, bf16_boundaries_ = 0;
  std::function<void(size_t)> after_backward_;
};

}  // namespace aekit::models
