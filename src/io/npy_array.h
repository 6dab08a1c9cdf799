// NumPy .npy arrays of any of the common numeric dtypes, parsed from bytes (a file or an .npz
// member): what users' own arrays arrive as. io/npy.h stays the float32 path for codes.
#pragma once
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::io {

struct NpyArray {
  char kind = 'f';  // 'f' float, 'u' unsigned, 'i' signed, 'b' bool
  int item_bytes = 4;
  Shape shape;
  std::string data;  // little-endian, C order, product(shape) * item_bytes bytes

  int64_t count() const;
};

// Versions 1-3, little-endian or byte-sized dtypes, C order. InputError "<name>: ..." for
// anything else, a truncated file or a data size that does not match the shape.
NpyArray parse_npy(const std::string& bytes, const std::string& name_for_errors);

// The a.count() values as float into out (uint8 unscaled; the caller decides about /255).
// Written in place so a large array is not held as floats twice.
void npy_to_floats(const NpyArray& a, float* out);
// Integer values (labels); InputError for a float value that is not a whole number.
std::vector<int64_t> npy_as_ints(const NpyArray& a, const std::string& name_for_errors);

}  // namespace aekit::io
