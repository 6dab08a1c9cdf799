#include "nn/activation.h"

#include <cmath>

#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::nn {

Act parse_act(const std::string& name) {
  if (name == "linear" || name == "identity" || name.empty()) return Act::linear;
  if (name == "relu") return Act::relu;
  if (name == "leaky_relu") return Act::leaky_relu;
  if (name == "sigmoid") return Act::sigmoid;
  if (name == "tanh") return Act::tanh;
  throw InputError("unknown activation '" + name +
                   "' (expected linear, relu, leaky_relu, sigmoid or tanh)");
}

const std::vector<std::pair<std::string, Act>>& act_names() {
  static const std::vector<std::pair<std::string, Act>> names{{"linear", Act::linear},
                                                              {"relu", Act::relu},
                                                              {"leaky_relu", Act::leaky_relu},
                                                              {"sigmoid", Act::sigmoid},
                                                              {"tanh", Act::tanh},
                                                              {"identity", Act::linear}};
  return names;
}

std::string to_string(Act a) {
  switch (a) {
    case Act::linear: return "linear";
    case Act::relu: return "relu";
    case Act::leaky_relu: return "leaky_relu";
    case Act::sigmoid: return "sigmoid";
    case Act::tanh: return "tanh";
  }
  return "?";
}

namespace {
// Values per thread before an element loop is split: waking a sleeping (OMP_WAIT_POLICY=PASSIVE)
// thread costs ~60 us, a 16K-value pass a few; W6 ran ~20 such regions per step.
constexpr int64_t kGrain = 65536;

inline float sigmoid(float v) {
  // Two branches so exp never overflows.
  if (v >= 0) return 1.0f / (1.0f + std::exp(-v));
  float e = std::exp(v);
  return e / (1.0f + e);
}
}  // namespace

kernels::Fused fused(Act a) {
  switch (a) {
    case Act::relu: return kernels::Fused::relu;
    case Act::leaky_relu: return kernels::Fused::leaky_relu;
    case Act::sigmoid: return kernels::Fused::sigmoid;
    case Act::tanh: return kernels::Fused::tanh;
    default: return kernels::Fused::none;
  }
}

void apply_act(Act a, float alpha, float* y, int64_t n) {
  kernels::parallel_for(n, kGrain, [&](int64_t b, int64_t e, int) {
    switch (a) {
      case Act::linear: break;
      case Act::relu:
        for (int64_t i = b; i < e; ++i) y[i] = y[i] <= 0 ? 0.0f : y[i];  // keeps NaN
        break;
      case Act::leaky_relu:
        for (int64_t i = b; i < e; ++i) y[i] = y[i] <= 0 ? alpha * y[i] : y[i];
        break;
      case Act::sigmoid:
        for (int64_t i = b; i < e; ++i) y[i] = sigmoid(y[i]);
        break;
      case Act::tanh:
        for (int64_t i = b; i < e; ++i) y[i] = std::tanh(y[i]);
        break;
    }
  });
}

void act_backward(Act a, float alpha, const float* y, const float* dy, float* dx, int64_t n) {
  if (a == Act::linear && dx == dy) return;
  if (a == Act::relu || a == Act::leaky_relu) {
    // Written as a select of a factor: GCC 12 turned the generic form into a scalar
    // compare-and-branch loop for relu (6 % of a batch-norm VAE's epoch).
    const float slope = a == Act::relu ? 0.0f : alpha;
    kernels::parallel_for(n, kGrain, [&](int64_t b, int64_t e, int) {
      // Locals, not captures: a store through dx could alias the closure, and GCC then reloads
      // the captures in the loop and does not vectorise it.
      const float* yy = y;
      const float* g = dy;
      float* d = dx;
      const float s = slope;
#pragma omp simd
      for (int64_t i = b; i < e; ++i) {
        const float k = yy[i] > 0 ? 1.0f : s;
        d[i] = k * g[i];
      }
    });
    return;
  }
  with_derivative(a, alpha, [&](auto deriv) {
    kernels::parallel_for(n, kGrain, [&](int64_t b, int64_t e, int) {
#pragma omp simd
      for (int64_t i = b; i < e; ++i) dx[i] = dy[i] * deriv(y[i]);
    });
  });
}

const config::Schema<Activation::Options>& Activation::schema(Act act) {
  static const auto plain = config::Schema<Options>("an activation layer");
  static const auto leaky =
      config::Schema<Options>("leaky_relu").key("alpha", &Options::alpha, config::at_least(0));
  return act == Act::leaky_relu ? leaky : plain;
}

nlohmann::json Activation::config() const { return with_type(type(), schema(act_).write({alpha_})); }

Shape Activation::build(const Shape& in) {
  in_shape_ = out_shape_ = in;
  return in;
}

const Tensor& Activation::forward(const Tensor& x, Mode) {
  y_ = x;
  apply_act(act_, alpha_, y_.data(), y_.size());
  return y_;
}

const Tensor& Activation::backward(const Tensor& dy, bool need_dx) {
  if (!need_dx) return empty_;
  dx_.resize(dy.shape());
  act_backward(act_, alpha_, y_.data(), dy.data(), dx_.data(), dy.size());
  return dx_;
}

}  // namespace aekit::nn
