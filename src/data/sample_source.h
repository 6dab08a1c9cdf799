// Where a trainer's batches come from, by sample index: the whole split as a Tensor in memory
// (the textbook sets, as float or as pixel bytes), or a memory-mapped uint8 cache of users'
// images that does not fit.
#pragma once
#include <cstdint>
#include <span>

#include "tensor/tensor.h"

namespace aekit::data {

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  virtual int64_t size() const = 0;
  virtual Shape sample_shape() const = 0;  // e.g. {3, 64, 64}
  // dst = the samples at idx as float32 [idx.size(), sample_shape...]; std::out_of_range for a
  // bad index. May use the calling thread's OpenMP threads.
  virtual void gather(std::span<const int64_t> idx, Tensor& dst) const = 0;
  // A hint that the samples at idx will be gathered soon: a source read from a file asks the
  // kernel to read them in now, without waiting and at almost no CPU cost. Indices outside the
  // source are ignored (gather refuses them).
  virtual void read_ahead(std::span<const int64_t> idx) const { (void)idx; }
  // True when gathering only copies from memory: the trainer then gathers in place, with no
  // reading ahead (data::PrefetchLoader).
  virtual bool in_memory() const { return false; }
};

// A Tensor [N, ...] already in memory (not owned; it must outlive the source).
class TensorSource final : public SampleSource {
 public:
  explicit TensorSource(const Tensor& x) : x_(x) {}
  int64_t size() const override { return x_.rank() ? x_.dim(0) : 0; }
  Shape sample_shape() const override { return Shape(x_.shape().begin() + 1, x_.shape().end()); }
  void gather(std::span<const int64_t> idx, Tensor& dst) const override;
  bool in_memory() const override { return true; }

 private:
  const Tensor& x_;
};

// The first n samples of another source (not owned; it must outlive the view): --limit on a
// memory-mapped image folder.
class PrefixSource final : public SampleSource {
 public:
  PrefixSource(const SampleSource& source, int64_t n) : source_(source), n_(n < source.size() ? n : source.size()) {}
  int64_t size() const override { return n_; }
  Shape sample_shape() const override { return source_.sample_shape(); }
  void gather(std::span<const int64_t> idx, Tensor& dst) const override;
  void read_ahead(std::span<const int64_t> idx) const override { source_.read_ahead(idx); }
  bool in_memory() const override { return source_.in_memory(); }

 private:
  const SampleSource& source_;
  int64_t n_;
};

}  // namespace aekit::data
