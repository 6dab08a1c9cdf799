#include "data/prefetch_loader.h"

namespace aekit::data {

PrefetchLoader::PrefetchLoader(const SampleSource& source, int depth)
    : source_(source), depth_(static_cast<size_t>(depth < 1 ? 1 : depth)) {}

void PrefetchLoader::start_epoch(const Batcher& batcher) {
  std::vector<std::vector<int64_t>> batches(static_cast<size_t>(batcher.batches()));
  for (int64_t b = 0; b < batcher.batches(); ++b) {
    const auto idx = batcher.batch_indices(b);
    batches[b].assign(idx.begin(), idx.end());
  }
  start_epoch(std::move(batches));
}

void PrefetchLoader::start_epoch(std::vector<std::vector<int64_t>> batches) {
  batches_ = std::move(batches);
  consumed_ = 0;
  for (size_t b = 0; b < depth_ && b < batches_.size(); ++b) source_.read_ahead(batches_[b]);
}

bool PrefetchLoader::next(Tensor& out) {
  if (consumed_ >= batches_.size()) return false;
  if (consumed_ + depth_ < batches_.size()) source_.read_ahead(batches_[consumed_ + depth_]);
  try {
    source_.gather(batches_[consumed_], out);
  } catch (...) {
    consumed_ = batches_.size();  // the epoch ends with the error
    throw;
  }
  ++consumed_;
  return true;
}

}  // namespace aekit::data
