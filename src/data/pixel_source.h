// Image samples kept in memory as their pixel bytes, a quarter of the float32 size (MNIST's
// training split: 47 MB instead of 188 MB); each gathered batch is converted to float /255.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "data/sample_source.h"

namespace aekit::data {

class PixelSource final : public SampleSource {
 public:
  PixelSource() = default;
  // bytes: size() x numel(sample_shape) pixels, row-major; std::invalid_argument when the count
  // is not a whole number of samples.
  PixelSource(std::vector<uint8_t> bytes, Shape sample_shape);

  int64_t size() const override { return n_; }
  Shape sample_shape() const override { return sample_shape_; }
  bool in_memory() const override { return true; }
  // The same floats a whole-split Tensor of unit_pixel values would give for these rows.
  void gather(std::span<const int64_t> idx, Tensor& dst) const override;

  // The samples at idx, in that order, still as bytes (std::out_of_range for a bad index).
  PixelSource subset(std::span<const int64_t> idx) const;
  // Every sample as float [size(), sample shape...] (callers that need the whole split at once).
  Tensor to_tensor() const;
  const uint8_t* sample(int64_t i) const { return bytes_.data() + i * sample_size_; }

 private:
  void check(std::span<const int64_t> idx) const;

  std::vector<uint8_t> bytes_;
  Shape sample_shape_;
  int64_t n_ = 0, sample_size_ = 0;
};

}  // namespace aekit::data
