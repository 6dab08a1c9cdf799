#include "data/pixel_source.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "data/unit_pixel.h"

namespace aekit::data {

PixelSource::PixelSource(std::vector<uint8_t> bytes, Shape sample_shape)
    : bytes_(std::move(bytes)), sample_shape_(std::move(sample_shape)), sample_size_(numel(sample_shape_)) {
  if (sample_size_ == 0 ? !bytes_.empty() : bytes_.size() % static_cast<size_t>(sample_size_) != 0)
    throw std::invalid_argument("PixelSource: " + std::to_string(bytes_.size()) + " bytes are not whole samples of " +
                                to_string(sample_shape_));
  n_ = sample_size_ ? static_cast<int64_t>(bytes_.size()) / sample_size_ : 0;
}

void PixelSource::check(std::span<const int64_t> idx) const {
  for (int64_t i : idx)
    if (i < 0 || i >= n_)
      throw std::out_of_range("PixelSource: index " + std::to_string(i) + " outside [0, " + std::to_string(n_) + ")");
}

void PixelSource::gather(std::span<const int64_t> idx, Tensor& dst) const {
  check(idx);  // before dst changes
  const int64_t rows = static_cast<int64_t>(idx.size());
  // Compare in place so the steady state (same batch shape every step) never builds a Shape.
  const bool same = dst.rank() == static_cast<int>(sample_shape_.size()) + 1 && dst.dim(0) == rows &&
                    std::equal(sample_shape_.begin(), sample_shape_.end(), dst.shape().begin() + 1);
  if (!same) {
    Shape shape{rows};
    shape.insert(shape.end(), sample_shape_.begin(), sample_shape_.end());
    dst.resize(shape);
  }
  const int64_t row = sample_size_;
  float* to = dst.data();
#pragma omp parallel for schedule(static) if (rows >= 64)
  for (int64_t r = 0; r < rows; ++r) {
    const uint8_t* from = sample(idx[r]);
    float* out = to + r * row;
    for (int64_t k = 0; k < row; ++k) out[k] = unit_pixel(from[k]);
  }
}

PixelSource PixelSource::subset(std::span<const int64_t> idx) const {
  check(idx);
  std::vector<uint8_t> out(idx.size() * static_cast<size_t>(sample_size_));
  for (size_t r = 0; r < idx.size(); ++r) std::copy_n(sample(idx[r]), sample_size_, out.data() + r * sample_size_);
  return PixelSource(std::move(out), sample_shape_);
}

Tensor PixelSource::to_tensor() const {
  Shape shape{n_};
  shape.insert(shape.end(), sample_shape_.begin(), sample_shape_.end());
  Tensor x;
  x.resize(shape);
  std::transform(bytes_.begin(), bytes_.end(), x.data(), unit_pixel);
  return x;
}

}  // namespace aekit::data
