// IDX files (the MNIST / Fashion-MNIST container): big-endian header
//   0x00 0x00 <type> <ndim>, then ndim uint32 dimensions, then the row-major payload.
// Files may be raw or gzip-compressed (detected by the 0x1f 0x8b magic, not the name).
// Only the unsigned-byte type 0x08 is supported; that is all the image datasets use.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aekit::data {

struct IdxArray {
  std::vector<int64_t> dims;   // 1 to 4 dimensions, each > 0
  std::vector<uint8_t> bytes;  // product(dims) values, row-major
};

// Throws InputError "PATH: ..." on a missing, corrupt, truncated or oversized file.
IdxArray read_idx(const std::string& path);
// The dimensions from the header alone (reads a few bytes). Same errors for a bad header.
std::vector<int64_t> read_idx_dims(const std::string& path);

}  // namespace aekit::data
