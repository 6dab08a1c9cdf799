// Mini-batch order for one pass over N samples, and the row gather that builds a batch.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace aekit::data {

class Batcher {
 public:
  // batch_size must be positive (InputError otherwise). With drop_last the final partial batch
  // is skipped; without it the last batch holds the remaining n_samples % batch_size samples.
  Batcher(int64_t n_samples, int64_t batch_size, bool shuffle, bool drop_last = false);

  // Sets this epoch's order: a fresh Fisher-Yates permutation drawn from rng when shuffling
  // (it depends only on rng's state, so a resumed run replays it), else 0..N-1 without
  // touching rng.
  void start_epoch(Rng& rng);

  int64_t batches() const;
  int64_t batch_size() const { return batch_size_; }
  int64_t samples() const { return static_cast<int64_t>(order_.size()); }
  // Sample indices of batch b (0 <= b < batches()), valid until the next start_epoch.
  std::span<const int64_t> batch_indices(int64_t b) const;

 private:
  int64_t batch_size_;
  bool shuffle_;
  bool drop_last_;
  std::vector<int64_t> order_;
};

// dst = src[idx]: resizes dst to [idx.size(), src.shape()[1:]...] and copies the rows. Does not
// allocate when dst already has that shape or enough capacity. Throws std::out_of_range for an
// index outside src.
void gather_rows(const Tensor& src, std::span<const int64_t> idx, Tensor& dst);

}  // namespace aekit::data
