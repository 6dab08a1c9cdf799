#include "data/text/split.h"

#include <cmath>
#include <numeric>

#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::data::text {

Split train_test_split(int64_t n, double train_fraction, uint64_t seed) {
  require(train_fraction > 0 && train_fraction <= 1,
          "train fraction must lie in (0, 1], got " + std::to_string(train_fraction));
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  rng.shuffle(order);
  // The small epsilon keeps 0.7 * 10 at 7 despite 0.7 not being exact in binary.
  const auto n_train = static_cast<int64_t>(std::floor(train_fraction * static_cast<double>(n) + 1e-9));
  Split s;
  s.train.assign(order.begin(), order.begin() + n_train);
  s.test.assign(order.begin() + n_train, order.end());
  return s;
}

}  // namespace aekit::data::text
