// SGD with momentum (PyTorch form): v = momentum v + g; p -= lr v.
#include "kernels/parallel.h"
#include "nn/optimizer.h"
#include "nn/optimizers.h"
#include "tensor/error.h"

namespace aekit::nn {
namespace {

class Sgd : public Optimizer {
 public:
  explicit Sgd(const OptimizerSpec& s) : momentum_(s.momentum), spec_(s) { lr_ = s.lr; }
  std::string type() const override { return "sgd"; }
  nlohmann::json config() const override {
    OptimizerSpec s = spec_;
    s.lr = lr_;
    return write_optimizer(s);
  }
  std::map<std::string, Tensor*> state(const std::vector<Param>& params) override {
    std::map<std::string, Tensor*> s;
    if (momentum_ == 0) return s;
    for (const Param& p : params) {
      if (!p.grad) continue;
      Tensor& v = velocity_[p.name];
      if (v.shape() != p.value->shape()) v = Tensor(p.value->shape());
      s[p.name + ".velocity"] = &v;
    }
    return s;
  }
  void step(const std::vector<Param>& params) override {
    ++t_;
    auto st = state(params);
    const float lr = static_cast<float>(lr_), mu = static_cast<float>(momentum_);
    for (const Param& p : params) {
      if (!p.grad) continue;
      float* w = p.value->data();
      const float* g = p.grad->data();
      float* v = momentum_ == 0 ? nullptr : st[p.name + ".velocity"]->data();
      kernels::parallel_for(p.value->size(), 16384, [&](int64_t b, int64_t e, int) {
        for (int64_t i = b; i < e; ++i) {
          float d = g[i];
          if (v) d = v[i] = mu * v[i] + g[i];
          w[i] -= lr * d;
        }
      });
    }
  }

 private:
  double momentum_;
  OptimizerSpec spec_;
  std::map<std::string, Tensor> velocity_;
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec& spec) { return std::make_unique<Sgd>(spec); }

}  // namespace aekit::nn
