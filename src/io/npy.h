// NumPy .npy files (version 1.0, little-endian float32, C order): what encode writes and decode
// reads, so codes move between aekit and NumPy without conversion.
#pragma once
#include <string>

#include "tensor/tensor.h"

namespace aekit::io {

void save_npy(const std::string& path, const Tensor& t);  // atomic
Tensor load_npy(const std::string& path);                  // InputError for other dtypes/layouts

}  // namespace aekit::io
