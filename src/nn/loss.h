// Reconstruction losses and their conventions (printed at the start of every run).
//
//   per-sample loss  = scale * R_f( l(pred_f, target_f) )     R = mean or sum over features f
//   batch loss       = mean over samples of the per-sample loss
//
// so "mse, reduction mean" is Keras's/PyTorch's default MSE, and "bce, reduction sum" is the
// pytorch/examples VAE's per-image BCE. forward() returns the batch loss and, in the same pass,
// writes d(batch loss)/d(pred) into grad().
//
// Element losses l:
//   mse         (p - t)^2
//   bce         -(t log p + (1-t) log(1-p)), p clamped to [1e-7, 1-1e-7] as Keras does
//               (zero gradient where the clamp bites)
//   bce_logits  the same on p = sigmoid(z), computed stably from the logit z:
//               max(z,0) - z t + log(1 + exp(-|z|)); the model's output is then a logit and
//               to_data_space() applies the sigmoid for pictures and reconstructions.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/schema.h"
#include "tensor/tensor.h"

namespace aekit::nn {

enum class Reduction { mean, sum };

class Loss {
 public:
  Loss(Reduction r, double scale) : reduction_(r), scale_(scale) {}
  virtual ~Loss() = default;
  virtual std::string type() const = 0;
  // Batch loss; also fills grad() with d(batch loss)/d(pred).
  virtual double forward(const Tensor& pred, const Tensor& target) = 0;
  // Per-sample losses (no gradient), for evaluation and anomaly scores.
  virtual void per_sample(const Tensor& pred, const Tensor& target, double* out) const = 0;
  // Maps the network's raw output to data space (identity except for logits losses).
  virtual void to_data_space(Tensor& out) const {}
  const Tensor& grad() const { return grad_; }
  Reduction reduction() const { return reduction_; }
  double scale() const { return scale_; }
  nlohmann::json config() const;
  std::string convention(int64_t features) const;  // one human-readable line

 protected:
  Reduction reduction_;
  double scale_;
  Tensor grad_;
};

// {"type": "mse" | "bce" | "bce_logits", "reduction": "mean" | "sum", "scale": 1}
struct LossSpec {
  std::string type = "mse";
  Reduction reduction = Reduction::mean;
  double scale = 1.0;
};
const config::Schema<LossSpec>& loss_schema();
std::unique_ptr<Loss> make_loss(const LossSpec& spec);
// Parses and makes; InputError naming `path` on any bad key or value.
std::unique_ptr<Loss> make_loss(const nlohmann::json& cfg, const std::string& path = "loss");

}  // namespace aekit::nn
