// VaeHead: the variational part of a VAE, between the encoder trunk and the decoder.
//
//   mu = h W_mu^T + b_mu,  logvar = clamp(h W_lv^T + b_lv, -30, 20)       (two dense heads)
//   z  = mu + exp(logvar / 2) * eps,  eps ~ N(0, I) from the model's Rng  (reparameterisation)
//   KL(q(z|x) || N(0, I)) per sample = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))
//
// The clamp keeps exp() finite on a diverging run (its gradient is zero outside the range).
// backward(dz) adds beta * d(mean KL)/d(mu, logvar) — the KL is part of the loss the head owns —
// and returns dL/dh. With sample == false, z = mu (reconstructions, encodings).
#pragma once
#include "nn/dense.h"

namespace aekit::models {

class VaeHead {
 public:
  explicit VaeHead(int64_t latent) : latent_(latent), mu_(latent), logvar_(latent) {}
  void build(const Shape& in);
  void init(Rng& rng, nn::Init scheme);
  void set_rng(Rng* rng) { rng_ = rng; }
  // Data-parallel training: this process holds the rows rank, rank + world, ... of a global batch
  // of global_rows. Sampling then draws the whole global batch's noise and keeps those rows, so N
  // ranks sample exactly what one process at the global batch would (the noise is only
  // latent-sized). world 1 (the default) draws for the local batch alone.
  void set_row_shard(int64_t rank, int64_t world, int64_t global_rows) {
    shard_rank_ = rank, shard_world_ = world, shard_rows_ = global_rows;
  }
  void set_beta(double beta) { beta_ = beta; }
  double beta() const { return beta_; }

  // Returns z; computes the per-batch mean KL (kl()) and, if per_sample_kl, each sample's KL.
  // When sampling, eps comes from the Rng, or from `noise` ([batch, latent]) when given.
  const Tensor& forward(const Tensor& h, nn::Mode mode, bool sample, double* per_sample_kl = nullptr,
                        const Tensor* noise = nullptr);
  const Tensor& backward(const Tensor& dz);
  // The posterior means alone (encodings): skips the log-variance head.
  const Tensor& mean(const Tensor& h) { return mu_.forward(h, nn::Mode::eval); }
  nn::Dense& mean_layer() { return mu_; }
  double kl() const { return kl_; }
  const Tensor& mu() const { return mu_out_; }
  const Tensor& logvar() const { return logvar_out_; }
  const Tensor& eps() const { return eps_; }

  std::vector<nn::Param> params();
  int64_t latent() const { return latent_; }
  double flops_per_sample() const { return mu_.flops_per_sample() + logvar_.flops_per_sample(); }

 private:
  int64_t latent_;
  nn::Dense mu_, logvar_;
  Rng* rng_ = nullptr;
  int64_t shard_rank_ = 0, shard_world_ = 1, shard_rows_ = 0;
  double beta_ = 1.0, kl_ = 0.0;
  bool sampled_ = false;
  Tensor mu_out_, logvar_out_, eps_, z_, dmu_, dlogvar_, dh_;
};

}  // namespace aekit::models
