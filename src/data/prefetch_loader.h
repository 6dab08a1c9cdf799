// Batches of a source that is not in memory (a memory-mapped image cache), in an epoch's order:
// each batch is gathered when asked for, by the caller's threads, while the batches `depth` ahead
// are already being read in from disk by the kernel (SampleSource::read_ahead, no CPU of ours).
//
// Why not a worker thread gathering ahead: the caller's compute threads fill the cores, and a
// worker of equal rank preempted one of them inside a parallel kernel, which then waited for it
// at its barrier (W10, ONEDNN_VERBOSE: the first convolution's forward, median 1.39 ms with the
// worker against 0.44 ms without; the second's 75th percentile 3.97 against 1.67 ms). A worker at
// idle priority avoided that but then gathered on one core while the caller waited. Gathering on
// the caller's threads costs the same CPU and leaves none of it waiting.
#pragma once
#include <cstdint>
#include <vector>

#include "data/batcher.h"
#include "data/sample_source.h"

namespace aekit::data {

class PrefetchLoader {
 public:
  // source must outlive the loader. depth >= 1 batches are read ahead.
  explicit PrefetchLoader(const SampleSource& source, int depth = 2);

  // Starts batcher's current epoch order (copied, so the batcher may move on), dropping what is
  // left of the previous one.
  void start_epoch(const Batcher& batcher);
  // The same for batches given as index lists (a data-parallel rank's part of each batch).
  void start_epoch(std::vector<std::vector<int64_t>> batches);
  // The next batch of the epoch into out (resized; its storage is reused from call to call).
  // Returns false after the last batch. An exception from the source ends the epoch and
  // reaches the caller.
  bool next(Tensor& out);

 private:
  const SampleSource& source_;
  size_t depth_;
  std::vector<std::vector<int64_t>> batches_;
  size_t consumed_ = 0;
};

}  // namespace aekit::data
