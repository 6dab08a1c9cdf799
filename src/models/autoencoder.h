// Autoencoder: encoder stack -> code -> decoder stack, trained to reproduce its target (the
// input itself, or the clean image for denoising). The decoder's output must have as many
// values per sample as the input; it is reshaped to the input's shape for pictures.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>

#include "models/sequential.h"
#include "nn/loss.h"

namespace aekit::models {

struct StepLoss {
  double recon = 0;    // reconstruction loss (batch mean, per the loss convention)
  double penalty = 0;  // activity penalties
  double total() const { return recon + penalty; }
};

class Autoencoder {
 public:
  // model_cfg: {"encoder": [...], "decoder": [...], "loss": {...}, "init": "keras"|"pytorch"}
  Autoencoder(const nlohmann::json& model_cfg, const Shape& input_shape);

  void init(Rng& rng);
  // The generator random layers (dropout, noise, sampling) draw from.
  void set_rng(Rng* rng) {
    encoder_.set_rng(rng);
    decoder_.set_rng(rng);
  }
  // Forward, loss and backward for one batch; gradients are written into the parameters' grads.
  StepLoss train_step(const Tensor& x, const Tensor& target);
  // Eval-mode loss of a batch (and per-sample values if out != nullptr).
  double eval_loss(const Tensor& x, const Tensor& target, double* per_sample = nullptr);
  // Eval-mode reconstruction in data space, shaped like x.
  const Tensor& reconstruct(const Tensor& x);
  const Tensor& encode(const Tensor& x);
  // Decoder output in data space, shaped like one input sample per row.
  const Tensor& decode(const Tensor& z);

  std::vector<nn::Param> params();
  nlohmann::json config() const;
  const Shape& input_shape() const { return input_shape_; }
  const Shape& code_shape() const { return code_shape_; }
  nn::Loss& loss() { return *loss_; }
  double flops_per_sample() const { return encoder_.flops_per_sample() + decoder_.flops_per_sample(); }
  Sequential& encoder() { return encoder_; }
  Sequential& decoder() { return decoder_; }

 private:
  const Tensor& to_output(const Tensor& raw, int64_t batch);

  Shape input_shape_, code_shape_;
  nn::Init init_;
  Sequential encoder_{"encoder"}, decoder_{"decoder"};
  std::unique_ptr<nn::Loss> loss_;
  Tensor out_;
};

}  // namespace aekit::models
