// kl_sparsity: the sparse-autoencoder penalty of Ng's lecture notes (chapter 002), as a
// pass-through layer placed after a sigmoid code layer (activations must lie in (0, 1)).
//   rho_hat_j = mean over the batch of unit j's activation
//   penalty   = beta * sum_j KL(rho || rho_hat_j),
//               KL(p || q) = p log(p/q) + (1-p) log((1-p)/(1-q))
//   backward: dx_ij = dy_ij + beta / batch * (-rho / rho_hat_j + (1-rho) / (1-rho_hat_j))
// rho_hat is clamped to [1e-6, 1 - 1e-6] so a dead or saturated unit gives a large finite
// penalty. The penalty is a property of the batch (not a per-sample sum), as in the notes.
#pragma once
#include "nn/layer.h"

namespace aekit::nn {

class KlSparsity : public Layer {
 public:
  KlSparsity(float rho, float beta);
  // {"type": "kl_sparsity", "rho": 0.05, "beta": 3}
  struct Options {
    float rho = 0.05f, beta = 3.0f;
  };
  static const config::Schema<Options>& schema();
  explicit KlSparsity(const Options& o) : KlSparsity(o.rho, o.beta) {}
  std::string type() const override { return "kl_sparsity"; }
  nlohmann::json config() const override { return with_type(type(), schema().write({rho_, beta_})); }
  Shape build(const Shape& in) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  double penalty() const override { return penalty_; }

 private:
  float rho_, beta_;
  const Tensor* x_ = nullptr;
  std::vector<double> rho_hat_;
  double penalty_ = 0.0;
  Tensor dx_;
};

}  // namespace aekit::nn
