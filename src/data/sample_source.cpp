#include "data/sample_source.h"

#include "data/batcher.h"

namespace aekit::data {

void TensorSource::gather(std::span<const int64_t> idx, Tensor& dst) const { gather_rows(x_, idx, dst); }

}  // namespace aekit::data
