#include "dist/bucket_plan.h"

#include <stdexcept>

namespace aekit::dist {

std::vector<Bucket> plan_buckets(const std::vector<int64_t>& group_values, int64_t cap) {
  if (cap <= 0) throw std::invalid_argument("plan_buckets: cap must be positive");
  std::vector<Bucket> out;
  Bucket cur;
  for (size_t g = 0; g < group_values.size(); ++g) {
    const int64_t v = group_values[g];
    if (cur.values > 0 && cur.values + v > cap) {
      out.push_back(cur);
      cur = Bucket{g, g, 0};
    }
    cur.end = g + 1;
    cur.values += v;
  }
  if (cur.end > cur.first) out.push_back(cur);
  return out;
}

}  // namespace aekit::dist
