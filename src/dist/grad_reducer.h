// Averages gradients over the ranks of a data-parallel run, overlapped with backward.
//
// The model's trainable parameters come in groups (one per layer) in the order backward
// finishes them; plan_buckets packs them into buckets of a few MB. As soon as a bucket's last
// group is written, its gradients are copied into the bucket's buffer, scaled by this rank's
// share of the global batch (local / global samples), and a non-blocking MPI_Iallreduce sums
// them while the layers below run their backward. finish_step() launches whatever is left
// (also the state tensors, batch norm's running statistics, averaged the same way so every rank
// keeps the same ones), waits for all, and writes the sums back: every rank then holds
// sum_r (n_r / n) g_r, the gradient of the mean loss over the whole global batch.
//
// Open MPI makes no background progress on a non-blocking collective: it moves when MPI is
// called. Each group_ready() therefore tests the buckets in flight, which is what lets them
// advance during backward.
//
// Timing (for docs/benchmarks.md): with AEKIT_DIST_TRACE=DIR each rank appends one line per
// bucket and step to DIR/trace-rank<r>.csv (launch and completion times against the end of
// backward); epoch_summary() gives the totals either way.
#pragma once
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "dist/bucket_plan.h"
#include "nn/layer.h"

namespace aekit::dist {

struct ReduceSummary {
  int64_t steps = 0;
  int64_t bytes_per_step = 0;     // gradient and state bytes each rank hands to allreduce per step
  double comm_seconds = 0;        // sum over buckets of launch -> observed completion
  double hidden_seconds = 0;      // the part of it before backward ended
  double wait_seconds = 0;        // time finish_step spent waiting (communication not hidden)
  double hidden_fraction() const { return comm_seconds > 0 ? hidden_seconds / comm_seconds : 0; }
};

class GradReducer {
 public:
  // groups: Autoencoder::grad_groups(); state: tensors without gradient to average each step;
  // cap_bytes: bucket size (AEKIT_DIST_BUCKET_MB overrides the default of 1 MB: small enough that our models, 0.1-10 MB of gradients, get several buckets to overlap).
  GradReducer(std::vector<std::vector<nn::Param>> groups, std::vector<Tensor*> state, int64_t cap_bytes);
  ~GradReducer();
  GradReducer(const GradReducer&) = delete;
  GradReducer& operator=(const GradReducer&) = delete;

  // Before a step's backward: this rank trains on local of the step's global samples.
  void begin_step(int64_t local, int64_t global);
  // Called (through Autoencoder::set_grad_ready) when group g's gradients are written.
  void group_ready(size_t g);
  // After backward, before clipping and the optimizer step. With local == 0 this rank's
  // gradients are taken as zero.
  void finish_step();

  const std::vector<Bucket>& buckets() const { return buckets_; }
  // Totals since the last call, then reset.
  ReduceSummary take_summary();

 private:
  using Clock = std::chrono::steady_clock;
  void launch(size_t b);
  void poll();
  double since_step(Clock::time_point t) const;

  std::vector<std::vector<nn::Param>> groups_;
  std::vector<Tensor*> state_;
  std::vector<Bucket> buckets_;
  std::vector<size_t> bucket_of_;                  // group -> bucket
  std::vector<std::vector<float>> buffers_;        // one per bucket, then one for the state
  std::vector<MPI_Request> requests_;
  std::vector<size_t> pending_;                    // groups of each bucket not yet ready
  std::vector<Clock::time_point> launched_, done_;
  std::vector<bool> is_launched_, is_done_;
  float weight_ = 1;
  int64_t step_ = 0;
  Clock::time_point step_start_;
  ReduceSummary summary_;
  std::FILE* trace_ = nullptr;
};

}  // namespace aekit::dist
