// Autoencoder: encoder stack -> code -> decoder stack, trained to reproduce its target (the
// input itself, or the clean image for denoising). With a "vae" section it is a variational
// autoencoder: the encoder stack is the trunk, a VaeHead turns its output into (mu, logvar) and
// a sample z, and the loss gains beta * KL.
//
//   {"encoder": [...], "decoder": [...], "loss": {...}, "init": "keras"|"pytorch",
//    "vae": {"latent": 20, "beta": 1.0}}                                  ("vae" is optional)
//
// The decoder's output must have as many values per sample as the input; it is reshaped to
// the input's shape for pictures.
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "models/sequential.h"
#include "models/vae_head.h"
#include "nn/loss.h"

namespace aekit::models {

struct StepLoss {
  double recon = 0;    // reconstruction loss (batch mean, per the loss convention)
  double kl = 0;       // VAE only: mean KL(q(z|x) || N(0,I)) per sample, in nats
  double beta = 0;     // VAE only: the KL weight in force
  double penalty = 0;  // activity penalties
  double total() const { return recon + beta * kl + penalty; }
};

// The "model" section. The layer lists stay JSON here: each layer's keys are declared and read
// by the layer's own schema (nn/registry.h).
struct VaeSpec {
  int64_t latent = 0;
  double beta = 1.0;
};
struct ModelSpec {
  nlohmann::json encoder, decoder;
  nn::LossSpec loss;
  nn::Init init = nn::Init::keras;
  std::optional<VaeSpec> vae;
};
const config::Schema<ModelSpec>& model_schema();
// Reads every key of the section and makes every layer (without building it), so any error in
// the section shows before data is loaded. InputError naming the path ("model.encoder[0]").
ModelSpec check_model_config(const nlohmann::json& cfg, const std::string& path = "model");

class Autoencoder {
 public:
  Autoencoder(const nlohmann::json& model_cfg, const Shape& input_shape);

  void init(Rng& rng);
  // The generator random layers (dropout, noise, VAE sampling) draw from.
  void set_rng(Rng* rng);
  bool is_vae() const { return head_ != nullptr; }
  void set_beta(double beta);
  double config_beta() const { return beta_; }

  // Forward, loss and backward for one batch; gradients are written into the parameters' grads.
  StepLoss train_step(const Tensor& x, const Tensor& target);
  // Eval-mode losses of a batch (a VAE samples z, so this is a one-sample ELBO estimate).
  // Per-sample reconstruction losses and KLs go to the arrays when given.
  StepLoss eval_loss(const Tensor& x, const Tensor& target, double* recon = nullptr, double* kl = nullptr);
  // Eval-mode reconstruction in data space, shaped like x (a VAE decodes its mean, z = mu).
  const Tensor& reconstruct(const Tensor& x);
  // Codes (a VAE's are the means mu).
  const Tensor& encode(const Tensor& x);
  // Decoder output in data space, shaped like one input sample per row.
  const Tensor& decode(const Tensor& z);
  VaeHead* vae_head() { return head_.get(); }

  std::vector<nn::Param> params();
  // Trainable parameters grouped by layer, in the order backward finishes them (decoder from its
  // last layer, the VAE head, encoder from its last layer); and a hook called with a group's
  // index once its gradients are written. Data-parallel training reduces them in that order.
  std::vector<std::vector<nn::Param>> grad_groups();
  void set_grad_ready(std::function<void(size_t group)> f);
  // Data-parallel sampling: see VaeHead::set_row_shard.
  void set_row_shard(int64_t rank, int64_t world, int64_t global_rows) {
    if (head_) head_->set_row_shard(rank, world, global_rows);
  }
  // The generator of the VAE head's sampling alone (after set_rng, which sets every layer's).
  void set_sample_rng(Rng* rng) {
    if (head_) head_->set_rng(rng);
  }
  nlohmann::json config() const;
  const Shape& input_shape() const { return input_shape_; }
  const Shape& code_shape() const { return code_shape_; }
  nn::Loss& loss() { return *loss_; }
  double flops_per_sample() const;
  Sequential& encoder() { return encoder_; }
  Sequential& decoder() { return decoder_; }

 private:
  const Tensor& to_output(const Tensor& raw, int64_t batch);
  const Tensor& code(const Tensor& x, nn::Mode mode, bool sample, double* kl = nullptr);

  Shape input_shape_, code_shape_;
  nn::Init init_;
  Sequential encoder_{"encoder"}, decoder_{"decoder"};
  std::unique_ptr<VaeHead> head_;
  double beta_ = 1.0;
  std::unique_ptr<nn::Loss> loss_;
  Tensor out_;
  std::function<void(size_t)> grad_ready_;
};

}  // namespace aekit::models
