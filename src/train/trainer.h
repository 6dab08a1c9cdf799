// The training loop: data -> model -> loss -> backward -> clip -> optimizer step, with a live
// progress line, per-epoch train/validation loss, metrics.csv and an atomic checkpoint
// after every epoch. --resume continues from the last checkpoint and ends with the same weights
// an uninterrupted run would have (every random draw comes from a stream fixed by seed + epoch).
#pragma once
#include <atomic>
#include <functional>
#include <string>

#include "data/noise.h"
#include "data/sample_source.h"
#include "dist/grad_reducer.h"
#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "run/run_config.h"

namespace aekit::train {

struct TrainOptions {
  std::string out_dir;
  bool resume = false;  // continue from out_dir/checkpoint.safetensors
  bool quiet = false;   // no live progress line (epoch lines are still printed)
  // For library callers (aekit/aekit.h): called after each epoch's checkpoint; and a flag that,
  // once true, ends training before the next epoch (the run folder stays complete).
  std::function<void(int epoch, double train_loss, double val_loss)> on_epoch;
  const std::atomic<bool>* stop = nullptr;
};

struct TrainResult {
  int epochs_done = 0;
  double train_loss = 0, val_loss = 0;
  double seconds = 0;
};

TrainResult train(run::RunConfig cfg, const TrainOptions& opt);

// One pass over x in shuffled batches (shuffle order from rng): the inner loop of train(),
// also used by `aekit bench`. Throws when the loss stops being finite.
struct EpochStats {
  double total = 0, recon = 0, kl = 0, penalty = 0;  // sample-weighted means over the epoch
  double beta = 0;                                   // KL weight at the epoch's last step
  int64_t samples = 0;
  double seconds = 0;
};
class Progress;
EpochStats train_epoch(models::Autoencoder& model, nn::Optimizer& opt, const run::RunConfig& cfg,
                       const Tensor& x, Rng& shuffle_rng, Progress* progress, int epoch,
                       const data::NoiseSpec& noise = {});
// The same over any source (an image folder's memory-mapped cache is read on a prefetch thread).
// With a reducer and several MPI ranks (docs/distributed.md): every rank draws the same order,
// trains on its strided part of each global batch of ranks x batch_size samples (dist/shard.h),
// and the reducer averages the gradients before the step; the returned means are over all ranks.
EpochStats train_epoch(models::Autoencoder& model, nn::Optimizer& opt, const run::RunConfig& cfg,
                       const data::SampleSource& source, Rng& shuffle_rng, Progress* progress, int epoch,
                       const data::NoiseSpec& noise = {}, dist::GradReducer* reducer = nullptr);

}  // namespace aekit::train
