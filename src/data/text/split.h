// Seeded train/test split of n items (the source chapter's train_test_split(train_size=0.7)).
#pragma once
#include <cstdint>
#include <vector>

namespace aekit::data::text {

struct Split {
  std::vector<int64_t> train, test;  // disjoint, together 0..n-1, each in shuffled order
};

// floor(train_fraction * n) items train, the rest test, from one Fisher-Yates shuffle drawn
// from Rng(seed). train_fraction must lie in (0, 1] (InputError otherwise).
Split train_test_split(int64_t n, double train_fraction, uint64_t seed);

}  // namespace aekit::data::text
