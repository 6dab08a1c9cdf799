// Reading big-endian integers out of file bytes (IDX headers, PNG chunks).
#pragma once
#include <cstdint>

namespace aekit::data {

inline uint32_t read_be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
}

}  // namespace aekit::data
