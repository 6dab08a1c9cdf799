// Counter-based draws for bulk random numbers (dropout masks, input noise): value i of a batch
// gets counter_hash(key, i), with key one Rng::next_u64() of the run's stream. Each value is
// independent of the others' order, so the loops vectorise and split over threads, and the
// result does not depend on the thread count. Two rounds of Wellons' "lowbias32" integer hash
// (32-bit multiplies only, which AVX2 vectorises).
#pragma once
#include <cstdint>

namespace aekit {

inline uint32_t counter_mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

inline uint32_t counter_hash(uint64_t key, uint32_t i) {
  return counter_mix32(counter_mix32(i + static_cast<uint32_t>(key)) ^ static_cast<uint32_t>(key >> 32));
}

}  // namespace aekit
