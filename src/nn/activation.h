// Element-wise activations: the math (used by Dense, which fuses its activation) and the
// stand-alone layers "relu", "leaky_relu", "sigmoid", "tanh", "linear".
// Every derivative is written in terms of the OUTPUT y, so no layer keeps its pre-activation:
//   relu' = [y > 0]   leaky_relu' = y > 0 ? 1 : alpha   sigmoid' = y (1 - y)   tanh' = 1 - y^2
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "kernels/matmul.h"
#include "nn/layer.h"

namespace aekit::nn {

enum class Act { linear, relu, leaky_relu, sigmoid, tanh };

Act parse_act(const std::string& name);  // "linear"/"identity"/"relu"/...; InputError otherwise
// The spellings a config may use for an activation (for schemas).
const std::vector<std::pair<std::string, Act>>& act_names();
std::string to_string(Act a);

// Calls f(deriv) with deriv(y) = act'(x) written in terms of the output y, as a lambda the
// compiler can inline into a vectorised loop (Dense fuses it with its bias gradient).
template <class F>
void with_derivative(Act a, float alpha, F&& f) {
  switch (a) {
    case Act::linear: return f([](float) { return 1.0f; });
    case Act::relu: return f([](float y) { return y > 0 ? 1.0f : 0.0f; });
    case Act::leaky_relu: return f([alpha](float y) { return y > 0 ? 1.0f : alpha; });
    case Act::sigmoid: return f([](float y) { return y * (1.0f - y); });
    case Act::tanh: return f([](float y) { return 1.0f - y * y; });
  }
}

// The same activation as a post-op fused into a oneDNN kernel (Dense, Conv2D).
kernels::Fused fused(Act a);

// y = act(y) in place.
void apply_act(Act a, float alpha, float* y, int64_t n);
// dx = dy * act'(y); dx may alias dy.
void act_backward(Act a, float alpha, const float* y, const float* dy, float* dx, int64_t n);

class Activation : public Layer {
 public:
  Activation(Act act, float alpha = 0.3f) : act_(act), alpha_(alpha) {}
  // "leaky_relu" has the key "alpha" (0.3, Keras's default); the other activations have none.
  struct Options {
    float alpha = 0.3f;
  };
  static const config::Schema<Options>& schema(Act act);
  std::string type() const override { return to_string(act_); }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  Act act() const { return act_; }
  float alpha() const { return alpha_; }

 private:
  Act act_;
  float alpha_;
  Tensor y_, dx_;
};

}  // namespace aekit::nn
