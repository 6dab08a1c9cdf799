#include "data/batcher.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>

#include "tensor/error.h"

namespace aekit::data {

Batcher::Batcher(int64_t n_samples, int64_t batch_size, bool shuffle, bool drop_last)
    : batch_size_(batch_size), shuffle_(shuffle), drop_last_(drop_last) {
  if (n_samples < 0) throw std::invalid_argument("Batcher: negative sample count");
  require(batch_size > 0, "batch size must be positive, got " + std::to_string(batch_size));
  order_.resize(n_samples);
  std::iota(order_.begin(), order_.end(), int64_t{0});
}

void Batcher::start_epoch(Rng& rng) {
  if (!shuffle_) return;  // order_ is still the identity from the constructor
  std::iota(order_.begin(), order_.end(), int64_t{0});
  rng.shuffle(order_);
}

int64_t Batcher::batches() const {
  const int64_t n = samples();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

std::span<const int64_t> Batcher::batch_indices(int64_t b) const {
  if (b < 0 || b >= batches())
    throw std::out_of_range("Batcher: batch " + std::to_string(b) + " of " +
                            std::to_string(batches()));
  const int64_t begin = b * batch_size_;
  const int64_t count = std::min(batch_size_, samples() - begin);
  return {order_.data() + begin, static_cast<size_t>(count)};
}

void gather_rows(const Tensor& src, std::span<const int64_t> idx, Tensor& dst) {
  if (src.rank() < 1) throw std::invalid_argument("gather_rows: source has no batch axis");
  if (&src == &dst) throw std::invalid_argument("gather_rows: source and destination alias");
  const int64_t n = src.dim(0);
  const int64_t rows = static_cast<int64_t>(idx.size());
  for (int64_t i : idx)
    if (i < 0 || i >= n)
      throw std::out_of_range("gather_rows: index " + std::to_string(i) + " outside [0, " +
                              std::to_string(n) + ")");

  // Compare shapes in place so the steady state (same batch shape every step) never builds a
  // Shape vector.
  const Shape& s = src.shape();
  const bool same = dst.rank() == src.rank() && dst.dim(0) == rows &&
                    std::equal(s.begin() + 1, s.end(), dst.shape().begin() + 1);
  if (!same) {
    Shape shape = s;
    shape[0] = rows;
    dst.resize(shape);
  }

  const int64_t row = src.sample_size();  // 0 when src is empty, and then rows is 0 too
  if (rows == 0 || row == 0) return;
  const float* from = src.data();
  float* to = dst.data();
  const size_t bytes = static_cast<size_t>(row) * sizeof(float);
#pragma omp parallel for schedule(static) if (rows >= 64)
  for (int64_t r = 0; r < rows; ++r) std::memcpy(to + r * row, from + idx[r] * row, bytes);
}

}  // namespace aekit::data
