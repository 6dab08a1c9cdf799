// Which samples a rank trains on (DistributedSampler semantics, without padding).
//
// Every rank draws the same seeded permutation P of the N samples each epoch. Rank r of W owns the
// strided shard P[r], P[r + W], P[r + 2W], ...: shards are disjoint, cover P, and differ in size
// by at most one. With a per-rank batch b, global step k is P[k W b, (k + 1) W b) and rank r's
// part of it is that slice's positions r, r + W, ... (the same as rank r's shard cut in batches
// of b), so W ranks at b see exactly the batches one process sees at W b. The tail: the last
// global batch holds the remaining M < W b samples, spread the same way (some ranks may get one
// fewer, or none when M < W); nothing is padded or dropped, and the gradient average weights
// each rank by its count (grad_reducer.h), so the step equals one process's step on those M.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace aekit::dist {

// Positions rank, rank + world, ... of items (rank in [0, world)).
std::vector<int64_t> strided_part(std::span<const int64_t> items, int rank, int world);
// How many of n items strided_part gives rank.
int64_t strided_count(int64_t n, int rank, int world);

}  // namespace aekit::dist
