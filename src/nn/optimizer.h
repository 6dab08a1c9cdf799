// Optimizers update parameters from the gradients backward() wrote.
//
//   sgd:  v = momentum v + g;  p -= lr v                        (PyTorch's SGD; Keras's is the
//         same trajectory for a constant learning rate)
//   adam: m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  t = step number (from 1)
//         epsilon_placement "pytorch": p -= lr * m_hat / (sqrt(v_hat) + eps)
//             with m_hat = m/(1-b1^t), v_hat = v/(1-b2^t)        (torch.optim.Adam, eps 1e-8)
//         epsilon_placement "keras":   p -= lr_t * m / (sqrt(v) + eps)
//             with lr_t = lr sqrt(1-b2^t)/(1-b1^t)                (keras Adam, eps 1e-7)
//         The two differ only in how much eps matters early on.
//
// state() exposes the moment tensors (named "<param>.m", "<param>.v") and the step counter, so
// checkpoints resume exactly.
#pragma once
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/schema.h"
#include "nn/layer.h"

namespace aekit::nn {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string type() const = 0;
  virtual nlohmann::json config() const = 0;
  virtual void step(const std::vector<Param>& params) = 0;
  // Moment tensors by name, created on first use (so a fresh optimizer can be filled from a
  // checkpoint before its first step).
  virtual std::map<std::string, Tensor*> state(const std::vector<Param>& params) = 0;
  int64_t steps() const { return t_; }
  void set_steps(int64_t t) { t_ = t; }
  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }
  std::string describe() const { return config().dump(); }

 protected:
  double lr_ = 1e-3;
  int64_t t_ = 0;
};

// {"type": "adam", "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8 (pytorch) | 1e-7 (keras),
//  "epsilon_placement": "pytorch" | "keras"}     {"type": "sgd", "lr": 0.01, "momentum": 0}
// Each type has its own schema: a key of the other type is an error.
struct OptimizerSpec {
  std::string type = "adam";
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999;
  double epsilon = 1e-8;
  std::string epsilon_placement = "pytorch";
  double momentum = 0;
};
OptimizerSpec parse_optimizer(const nlohmann::json& cfg, const std::string& path);
nlohmann::json write_optimizer(const OptimizerSpec& spec);
std::vector<config::KeyInfo> optimizer_keys(const std::string& type);
std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& cfg, const std::string& path = "optimizer");

// Gradient clipping, applied after backward and before step.
// Global: scale all gradients by min(1, max_norm / ||all grads||) (torch clip_grad_norm_).
// Per tensor: each gradient separately to norm <= max_norm (Keras clipnorm). Return the norm(s)
// before clipping (global: the one norm; per tensor: the largest).
double clip_global_norm(const std::vector<Param>& params, double max_norm);
double clip_per_tensor_norm(const std::vector<Param>& params, double max_norm);

}  // namespace aekit::nn
