// Batches gathered on a worker thread while the caller computes on the previous one, so reading
// (and for an image cache, converting uint8 -> float) overlaps with training. At most `depth`
// batches exist at once, whatever the dataset size.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "data/batcher.h"
#include "data/sample_source.h"

namespace aekit::data {

class PrefetchLoader {
 public:
  // source must outlive the loader. depth >= 1 batches are prepared ahead.
  explicit PrefetchLoader(const SampleSource& source, int depth = 2);
  ~PrefetchLoader();  // stops and joins the worker
  PrefetchLoader(const PrefetchLoader&) = delete;
  PrefetchLoader& operator=(const PrefetchLoader&) = delete;

  // Starts gathering batcher's current epoch order (copied, so the batcher may move on). Batches
  // of an unfinished previous epoch are dropped.
  void start_epoch(const Batcher& batcher);
  // The same for batches given as index lists (a data-parallel rank's part of each batch).
  void start_epoch(std::vector<std::vector<int64_t>> batches);
  // The next batch of the epoch into out (its storage is swapped with a prepared buffer, not
  // copied; out's old storage is reused for a later batch). Returns false after the last batch.
  // An exception thrown while gathering is rethrown here.
  bool next(Tensor& out);

 private:
  void run();

  const SampleSource& source_;
  size_t depth_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<int64_t>> batches_;  // the epoch being produced
  size_t produced_ = 0, consumed_ = 0;
  uint64_t epoch_ = 0;  // bumps on start_epoch so the worker drops stale work
  std::deque<Tensor> ready_;
  std::vector<Tensor> free_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace aekit::data
