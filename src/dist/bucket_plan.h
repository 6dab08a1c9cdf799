// How gradients are grouped for the allreduce: consecutive parameter groups (one per layer, in
// the order backward finishes them) packed into buckets of at most cap values. The plan depends
// only on the model, so every rank makes the same one and launches the same collectives in the
// same order. A group larger than cap gets a bucket of its own (a layer is never split: its
// gradients are all written at once).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace aekit::dist {

struct Bucket {
  size_t first = 0, end = 0;  // groups [first, end)
  int64_t values = 0;         // float count of those groups
};

// Groups of size 0 (layers without trainable parameters) join the bucket being filled. cap > 0.
std::vector<Bucket> plan_buckets(const std::vector<int64_t>& group_values, int64_t cap);

}  // namespace aekit::dist
