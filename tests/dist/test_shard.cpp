// Strided shards of the epoch's permutation (dist/shard.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "dist/shard.h"
#include "tensor/rng.h"

using namespace aekit;

TEST(Shard, DisjointAndCoverThePermutation) {
  for (int world : {1, 2, 3, 4, 8})
    for (int64_t n : {0, 1, 3, 7, 64, 650}) {
      std::vector<int64_t> perm(static_cast<size_t>(n));
      std::iota(perm.begin(), perm.end(), 0);
      Rng rng(42);
      rng.shuffle(perm);
      std::multiset<int64_t> seen;
      size_t largest = 0, smallest = SIZE_MAX;
      for (int r = 0; r < world; ++r) {
        const auto part = dist::strided_part(perm, r, world);
        EXPECT_EQ(static_cast<int64_t>(part.size()), dist::strided_count(n, r, world));
        seen.insert(part.begin(), part.end());
        largest = std::max(largest, part.size());
        smallest = std::min(smallest, part.size());
      }
      EXPECT_EQ(seen, std::multiset<int64_t>(perm.begin(), perm.end())) << "n " << n << " world " << world;
      EXPECT_LE(largest - smallest, 1u);
    }
}

TEST(Shard, RankBatchesOfTheShardArePartsOfTheGlobalBatches) {
  // Rank r's shard cut in batches of b equals its strided part of each global batch of world x b:
  // what makes world ranks at b train on one process's batches at world x b.
  const int world = 4;
  const int64_t b = 5, n = 93;
  std::vector<int64_t> perm(n);
  std::iota(perm.begin(), perm.end(), 100);
  Rng(7).shuffle(perm);
  for (int r = 0; r < world; ++r) {
    const auto shard = dist::strided_part(perm, r, world);
    for (int64_t k = 0; k * world * b < n; ++k) {
      const int64_t begin = k * world * b, end = std::min(n, begin + world * b);
      const auto part = dist::strided_part(std::span<const int64_t>(perm).subspan(begin, end - begin), r, world);
      const int64_t from = std::min<int64_t>(k * b, shard.size()), to = std::min<int64_t>((k + 1) * b, shard.size());
      EXPECT_EQ(part, std::vector<int64_t>(shard.begin() + from, shard.begin() + to)) << "rank " << r << " step " << k;
    }
  }
}

TEST(Shard, BadRankThrows) {
  EXPECT_THROW(dist::strided_count(10, 2, 2), std::invalid_argument);
  EXPECT_THROW(dist::strided_count(10, 0, 0), std::invalid_argument);
}
