// The layer contract. Every layer in src/nn honours it; read this once and every layer file
// reads the same way.
//
//   build(in)            called once with the per-sample input shape (no batch axis); creates
//                        the parameters and returns the per-sample output shape. Impossible
//                        shapes throw InputError naming the layer.
//   init(rng, scheme)    fills the parameters (Keras or PyTorch initialisation, see init.h).
//   forward(x, mode)     x is [batch, in...]. Returns the output, held in a buffer the layer
//                        owns (valid until the next forward). The layer may keep a pointer to x:
//                        x must stay unchanged until backward. mode: train or eval (dropout,
//                        batch norm, activity penalties act only in train).
//   backward(dy, need_dx) dy is d(loss)/d(output of the last forward). WRITES (does not add)
//                        each parameter's gradient for this batch and returns d(loss)/dx. When
//                        need_dx is false (first layer) it skips that work and returns an empty
//                        tensor.
//   params()             names every tensor the layer owns: trainable ones with their gradient,
//                        state (running statistics) with grad == nullptr. The names, prefixed by
//                        the layer's place in the model ("encoder.0.weight"), are the
//                        safetensors keys, laid out as PyTorch lays them out.
//   penalty()            extra loss this layer added during the last train forward (activity
//                        regularisers); its gradient is already inside backward's dx.
//   config()             JSON that recreates the layer through the registry (registry.h). Each
//                        layer declares its keys once, as `struct Options` and a static
//                        `schema()` (config/schema.h) that parses, validates and writes them.
//   as_fusable()         nullptr, or the layer's optional fusion interface (nn/fusable.h:
//                        channel-blocked activations, activation-gradient hand-over). Only a
//                        layer that wants to be fused with its neighbours needs it.
//   set_rng(rng)         layers that draw random numbers (dropout, noise, VAE sampling) draw
//                        them from this generator, which the trainer re-derives from (seed,
//                        epoch) so runs are reproducible and resumable. Others ignore it.
//
// Adding a layer: one file here, one line in registry.cpp, and tests/nn: gradient check,
// PyTorch fixture, save/load round trip.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/schema.h"
#include "nn/fusable.h"
#include "nn/init.h"
#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace aekit::nn {

enum class Mode { train, eval };

struct Param {
  std::string name;
  Tensor* value;
  Tensor* grad;  // nullptr: state, not trained
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string type() const = 0;
  virtual nlohmann::json config() const = 0;
  virtual Shape build(const Shape& in) = 0;
  virtual void init(Rng& rng, Init scheme) {}
  virtual const Tensor& forward(const Tensor& x, Mode mode) = 0;
  virtual const Tensor& backward(const Tensor& dy, bool need_dx) = 0;
  virtual std::vector<Param> params() { return {}; }
  virtual double penalty() const { return 0.0; }
  virtual void set_rng(Rng* rng) {}
  virtual Fusable* as_fusable() { return nullptr; }
  // FLOPs of one forward pass for one sample (for speed reports); 0 when negligible.
  virtual double flops_per_sample() const { return 0.0; }

  const Shape& in_shape() const { return in_shape_; }
  const Shape& out_shape() const { return out_shape_; }

 protected:
  Shape in_shape_, out_shape_;
  Tensor empty_;  // returned by backward when need_dx is false
};

using LayerPtr = std::unique_ptr<Layer>;

// A layer's config(): its declared keys (Options written back by its schema) plus "type".
inline nlohmann::json with_type(const std::string& type, nlohmann::json keys) {
  keys["type"] = type;
  return keys;
}

}  // namespace aekit::nn
