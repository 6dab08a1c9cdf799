// Adam (see optimizer.h for the formulas and the two epsilon placements).
#include <cmath>

#include "kernels/parallel.h"
#include "nn/optimizer.h"
#include "nn/optimizers.h"
#include "tensor/error.h"

namespace aekit::nn {
namespace {

class Adam : public Optimizer {
 public:
  explicit Adam(const OptimizerSpec& s)
      : b1_(s.beta1), b2_(s.beta2), eps_(s.epsilon), placement_(s.epsilon_placement), spec_(s) {
    lr_ = s.lr;
  }
  std::string type() const override { return "adam"; }
  nlohmann::json config() const override {
    OptimizerSpec s = spec_;
    s.lr = lr_;
    return write_optimizer(s);
  }

  std::map<std::string, Tensor*> state(const std::vector<Param>& params) override {
    std::map<std::string, Tensor*> s;
    for (const Param& p : params) {
      if (!p.grad) continue;
      auto& mv = moments_[p.name];
      if (mv.m.shape() != p.value->shape()) {
        mv.m = Tensor(p.value->shape());
        mv.v = Tensor(p.value->shape());
      }
      s[p.name + ".m"] = &mv.m;
      s[p.name + ".v"] = &mv.v;
    }
    return s;
  }

  void step(const std::vector<Param>& params) override {
    ++t_;
    const double c1 = 1.0 - std::pow(b1_, static_cast<double>(t_));
    const double c2 = 1.0 - std::pow(b2_, static_cast<double>(t_));
    // Both placements become p -= a * m / (sqrt(v) + e) with step size a and epsilon e:
    // PyTorch's eps is added to sqrt(v_hat) = sqrt(v)/sqrt(c2), i.e. e = eps*sqrt(c2).
    const float a = static_cast<float>(lr_ * std::sqrt(c2) / c1);
    const float e = static_cast<float>(placement_ == "keras" ? eps_ : eps_ * std::sqrt(c2));
    const float b1 = static_cast<float>(b1_), b2 = static_cast<float>(b2_);
    auto st = state(params);
    struct Slot {
      float *w, *m, *v;
      const float* g;
      int64_t n;
    };
    std::vector<Slot> slots;
    int64_t total = 0;
    for (const Param& p : params) {
      if (!p.grad) continue;
      slots.push_back({p.value->data(), st[p.name + ".m"]->data(), st[p.name + ".v"]->data(),
                       p.grad->data(), p.value->size()});
      total += p.value->size();
    }
    // One parallel region for all tensors: each thread takes the same fraction of each.
    kernels::parallel_threads(total, 16384, [&](int t, int T) {
      for (const Slot& s : slots) {
        const int64_t b = s.n * t / T, end = s.n * (t + 1) / T;
        float *w = s.w, *m = s.m, *v = s.v;
        const float* g = s.g;
#pragma omp simd
        for (int64_t i = b; i < end; ++i) {
          m[i] = b1 * m[i] + (1.0f - b1) * g[i];
          v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
          w[i] -= a * m[i] / (std::sqrt(v[i]) + e);
        }
      }
    });
  }

 private:
  struct Moments {
    Tensor m, v;
  };
  double b1_, b2_, eps_;
  std::string placement_;
  OptimizerSpec spec_;  // as configured (config() writes it back with the current lr)
  std::map<std::string, Moments> moments_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const OptimizerSpec& spec) { return std::make_unique<Adam>(spec); }

}  // namespace aekit::nn
