// Rng: the one seeded random source (xoshiro256**). Every random draw in aekit (init, shuffling,
// noise, sampling) comes from an Rng derived from the run's seed, so the same seed gives the same
// result. The whole state is a few integers, saved in checkpoints so --resume continues the
// exact stream.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);

  uint64_t next_u64();
  // Uniform in [0, 1) with 24 random bits (exact in float).
  float uniform();
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  float normal();
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n);
  // Fisher-Yates shuffle of v.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }
  // An independent stream for a sub-task (e.g. one per epoch or per purpose), derived from this
  // generator's seed material, not advancing it.
  Rng fork(uint64_t stream) const;

  // Serialised state: text of decimal integers, for checkpoints.
  std::string state() const;
  void set_state(const std::string& s);

 private:
  uint64_t s_[4];
  bool has_spare_ = false;
  float spare_ = 0.0f;
};

}  // namespace aekit
