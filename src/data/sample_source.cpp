#include "data/sample_source.h"

#include "data/batcher.h"

#include <stdexcept>
#include <string>

namespace aekit::data {

void TensorSource::gather(std::span<const int64_t> idx, Tensor& dst) const { gather_rows(x_, idx, dst); }

void PrefixSource::gather(std::span<const int64_t> idx, Tensor& dst) const {
  for (int64_t i : idx)
    if (i < 0 || i >= n_) throw std::out_of_range("sample " + std::to_string(i) + " of " + std::to_string(n_));
  source_.gather(idx, dst);
}

}  // namespace aekit::data
