#include "nn/optimizer.h"

#include <algorithm>
#include <cmath>

#include "nn/optimizers.h"
#include "tensor/error.h"

namespace aekit::nn {

namespace {
// The default epsilon depends on the placement; an absent "lr" on the type. Both are filled after
// parsing, from the keys actually given.
struct Parsed {
  OptimizerSpec spec;
  bool has_lr = false, has_eps = false;
};

const config::Schema<OptimizerSpec>& adam_schema() {
  static const auto s = config::Schema<OptimizerSpec>("adam")
                            .key("lr", &OptimizerSpec::lr, config::above(0))
                            .key("beta1", &OptimizerSpec::beta1, config::from_below(0, 1))
                            .key("beta2", &OptimizerSpec::beta2, config::from_below(0, 1))
                            .key("epsilon", &OptimizerSpec::epsilon, config::above(0))
                            .one_of("epsilon_placement", &OptimizerSpec::epsilon_placement, {"pytorch", "keras"});
  return s;
}

const config::Schema<OptimizerSpec>& sgd_schema() {
  static const auto s = config::Schema<OptimizerSpec>("sgd")
                            .key("lr", &OptimizerSpec::lr, config::above(0))
                            .key("momentum", &OptimizerSpec::momentum, config::from_below(0, 1));
  return s;
}

const config::Schema<OptimizerSpec>& schema_of(const std::string& type, const std::string& path) {
  if (type == "adam") return adam_schema();
  if (type == "sgd") return sgd_schema();
  config::fail(config::join(path, "type"), "unknown optimizer \"" + type + "\"" +
                                               config::suggestion(type, {"adam", "sgd"}) + " (known: \"adam\" or \"sgd\")");
}
}  // namespace

OptimizerSpec parse_optimizer(const nlohmann::json& cfg, const std::string& path) {
  if (!cfg.is_object()) config::fail(path, "expected an object with a \"type\", got " + config::describe_json(cfg));
  if (!cfg.contains("type")) config::fail(path, "missing key \"type\" (\"adam\" or \"sgd\")");
  if (!cfg["type"].is_string()) config::fail(config::join(path, "type"), "expected a string, got " + config::describe_json(cfg["type"]));
  OptimizerSpec s;
  s.type = cfg["type"];
  if (s.type == "sgd") s.lr = 0.01;
  schema_of(s.type, path).parse_into(cfg, path, s);
  if (!cfg.contains("epsilon")) s.epsilon = s.epsilon_placement == "keras" ? 1e-7 : 1e-8;
  return s;
}

nlohmann::json write_optimizer(const OptimizerSpec& spec) {
  nlohmann::json j = schema_of(spec.type, "optimizer").write(spec);
  j["type"] = spec.type;
  return j;
}

std::vector<config::KeyInfo> optimizer_keys(const std::string& type) { return schema_of(type, "optimizer").keys(); }

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec) {
  return spec.type == "sgd" ? make_sgd(spec) : make_adam(spec);
}

std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& cfg, const std::string& path) {
  return make_optimizer(parse_optimizer(cfg, path));
}

namespace {
// Float sums over short blocks (vectorised), double across blocks (accurate): a plain double
// accumulation is one long dependency chain and cost ~10% of a clipped VAE step.
double sum_squares(const Tensor& t) {
  const float* p = t.data();
  const int64_t n = t.size();
  double s = 0;
  for (int64_t i0 = 0; i0 < n; i0 += 1024) {
    const int64_t i1 = std::min(n, i0 + 1024);
    float b = 0;
#pragma omp simd reduction(+ : b)
    for (int64_t i = i0; i < i1; ++i) b += p[i] * p[i];
    s += b;
  }
  return s;
}
void scale(Tensor& t, float k) {
  float* p = t.data();
#pragma omp simd
  for (int64_t i = 0; i < t.size(); ++i) p[i] *= k;
}
}  // namespace

double clip_global_norm(const std::vector<Param>& params, double max_norm) {
  double ss = 0;
  for (const Param& p : params)
    if (p.grad) ss += sum_squares(*p.grad);
  const double norm = std::sqrt(ss);
  // Same small constant as torch.nn.utils.clip_grad_norm_.
  const double k = max_norm / (norm + 1e-6);
  if (k < 1.0)
    for (const Param& p : params)
      if (p.grad) scale(*p.grad, static_cast<float>(k));
  return norm;
}

double clip_per_tensor_norm(const std::vector<Param>& params, double max_norm) {
  double largest = 0;
  for (const Param& p : params) {
    if (!p.grad) continue;
    const double norm = std::sqrt(sum_squares(*p.grad));
    largest = std::max(largest, norm);
    if (norm > max_norm) scale(*p.grad, static_cast<float>(max_norm / norm));
  }
  return largest;
}

}  // namespace aekit::nn
