// Importance-weighted estimate of a VAE's negative log-likelihood (Burda et al., the IWAE bound):
//
//   log p(x) >= log (1/k) sum_i w_i,  w_i = p(x|z_i) p(z_i) / q(z_i|x),  z_i ~ q(z|x)
//
// with log p(x|z) = -(reconstruction loss), which is the exact Bernoulli log-likelihood when the
// loss is BCE (or BCE on logits) summed over pixels with scale 1 — the only losses accepted.
// k = 1 is the Monte-Carlo ELBO; larger k tightens the bound (lower NLL). Samples are decoded in
// blocks of ~1000 rows, so k up to thousands fits in memory.
#pragma once
#include <cstdint>

#include "models/autoencoder.h"

namespace aekit::eval {

struct IwaeResult {
  double nll = 0;  // mean over inputs of -log (1/k) sum_i w_i, in nats
  int k = 0;
  int64_t inputs = 0;
};

IwaeResult iwae_nll(models::Autoencoder& model, const Tensor& x, int k, uint64_t seed);

}  // namespace aekit::eval
