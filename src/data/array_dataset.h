// Users' own arrays: .npy or .npz files holding samples [N, ...] as uint8 (scaled by 1/255, so
// images arrive in [0,1] as the IDX sets do) or float32 (taken as they are), with optional
// integer labels [N].
#pragma once
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::data {

struct ArrayOptions {
  // .npz: the member holding the samples ("" = the only member, or "x" when there are several)
  // and the member holding labels ("" = none, unless the archive has a member named "labels"
  // or "y"). .npy: labels come from labels_path ("" = none).
  std::string key;
  std::string labels_key;
  std::string labels_path;
};

struct ArrayData {
  Tensor x;                 // [N, ...] float32
  std::vector<int> labels;  // N labels, or empty
  std::string source;
};

// InputError naming the file for another extension, an unsupported dtype, a missing member, a
// rank-0 array, N == 0, NaN/inf samples, or labels whose count differs from N.
ArrayData load_array_data(const std::string& path, const ArrayOptions& options = {});

}  // namespace aekit::data
