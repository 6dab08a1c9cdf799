// Loss of a trained model over a whole split, in eval mode, batch by batch.
// For a VAE the reconstruction term uses one sample z per input (a Monte-Carlo ELBO estimate)
// drawn from a generator seeded by `seed`, so evaluations are reproducible.
#pragma once
#include <vector>

#include "models/autoencoder.h"

namespace aekit::eval {

struct SplitLoss {
  double loss = 0;   // mean over samples of recon + beta * kl (the training objective)
  double recon = 0;  // mean reconstruction loss
  double kl = 0;     // VAE: mean KL in nats; recon + kl is the negative ELBO per sample
  std::vector<double> per_sample;  // recon + beta * kl of each sample, when asked for
};

// target == nullptr: the target is x itself.
SplitLoss split_loss(models::Autoencoder& model, const Tensor& x, const Tensor* target = nullptr,
                     int64_t batch = 1000, bool keep_per_sample = false, uint64_t seed = 12345);

// Rows [begin, end) of src into dst (resized), for batch-wise walks over a split.
void copy_rows(const Tensor& src, int64_t begin, int64_t end, Tensor& dst);

}  // namespace aekit::eval
