#include "dist/shard.h"

#include <stdexcept>

namespace aekit::dist {

int64_t strided_count(int64_t n, int rank, int world) {
  if (world < 1 || rank < 0 || rank >= world) throw std::invalid_argument("strided_count: bad rank/world");
  return n > rank ? (n - rank + world - 1) / world : 0;
}

std::vector<int64_t> strided_part(std::span<const int64_t> items, int rank, int world) {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(strided_count(static_cast<int64_t>(items.size()), rank, world)));
  for (size_t i = static_cast<size_t>(rank); i < items.size(); i += static_cast<size_t>(world)) out.push_back(items[i]);
  return out;
}

}  // namespace aekit::dist
