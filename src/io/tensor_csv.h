// A [N, ...] tensor as CSV: a header z0,z1,... then one row per sample, values with 7 significant
// digits (float32's precision). Written atomically.
#pragma once
#include <string>

#include "tensor/tensor.h"

namespace aekit::io {

void write_tensor_csv(const std::string& path, const Tensor& t, const std::string& column_prefix = "z");

}  // namespace aekit::io
