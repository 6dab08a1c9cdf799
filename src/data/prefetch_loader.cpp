#include "data/prefetch_loader.h"

#include <stdexcept>

namespace aekit::data {

PrefetchLoader::PrefetchLoader(const SampleSource& source, int depth)
    : source_(source), depth_(static_cast<size_t>(depth < 1 ? 1 : depth)) {
  worker_ = std::thread([this] { run(); });
}

PrefetchLoader::~PrefetchLoader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void PrefetchLoader::start_epoch(const Batcher& batcher) {
  std::vector<std::vector<int64_t>> batches(static_cast<size_t>(batcher.batches()));
  for (int64_t b = 0; b < batcher.batches(); ++b) {
    const auto idx = batcher.batch_indices(b);
    batches[b].assign(idx.begin(), idx.end());
  }
  start_epoch(std::move(batches));
}

void PrefetchLoader::start_epoch(std::vector<std::vector<int64_t>> batches) {
  {
    std::lock_guard lock(mu_);
    batches_ = std::move(batches);
    produced_ = consumed_ = 0;
    ++epoch_;
    while (!ready_.empty()) free_.push_back(std::move(ready_.front())), ready_.pop_front();
    error_ = nullptr;
  }
  cv_.notify_all();
}

bool PrefetchLoader::next(Tensor& out) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !ready_.empty() || error_ || consumed_ >= batches_.size(); });
  if (!ready_.empty()) {
    std::swap(out, ready_.front());
    free_.push_back(std::move(ready_.front()));
    ready_.pop_front();
    ++consumed_;
    lock.unlock();
    cv_.notify_all();
    return true;
  }
  if (error_) {
    auto e = error_;
    error_ = nullptr;
    consumed_ = batches_.size();  // the epoch ends with the error
    std::rethrow_exception(e);
  }
  return false;
}

void PrefetchLoader::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || (!error_ && produced_ < batches_.size() && ready_.size() < depth_); });
    if (stop_) return;
    const uint64_t epoch = epoch_;
    const std::vector<int64_t> idx = batches_[produced_];
    Tensor buf;
    if (!free_.empty()) buf = std::move(free_.back()), free_.pop_back();
    lock.unlock();
    std::exception_ptr err;
    try {
      source_.gather(idx, buf);
    } catch (...) {
      err = std::current_exception();
    }
    lock.lock();
    if (epoch != epoch_) {  // start_epoch ran meanwhile: this batch belongs to the old order
      free_.push_back(std::move(buf));
      continue;
    }
    if (err) {
      error_ = err;
    } else {
      ready_.push_back(std::move(buf));
      ++produced_;
    }
    cv_.notify_all();
  }
}

}  // namespace aekit::data
