#include "draw/weight_tiles.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "draw/image_grid.h"
#include "tensor/error.h"

namespace aekit::draw {

Image weight_tiles(const Tensor& weight, int64_t height, int64_t width, int cols, TileScale scale_mode, int scale) {
  require(weight.rank() == 2 && weight.dim(1) == height * width,
          "weight tiles: expected a [units, " + std::to_string(height * width) + "] matrix, got " +
              to_string(weight.shape()));
  require(cols > 0, "weight tiles: need at least one column");
  const int64_t units = weight.dim(0), n = height * width;
  // The 99.5th percentile of |w| (nearest rank) rather than the maximum: a few weights on
  // border pixels that are almost never inked can be far larger than the rest and would
  // otherwise flatten every tile to grey. Larger weights saturate.
  auto max_abs = [&](int64_t begin, int64_t end) {
    std::vector<float> a(weight.data() + begin, weight.data() + end);
    for (float& v : a) v = std::fabs(v);
    const auto rank = static_cast<int64_t>(std::ceil(0.995 * static_cast<double>(a.size()))) - 1;
    std::nth_element(a.begin(), a.begin() + rank, a.end());
    const float m = a[rank];
    return m > 0 ? m : 1.0f;  // an all-zero tile stays mid grey
  };
  const float shared = max_abs(0, units * n);
  Tensor tiles({units, height, width});
  for (int64_t u = 0; u < units; ++u) {
    const float m = scale_mode == TileScale::shared ? shared : max_abs(u * n, (u + 1) * n);
    for (int64_t i = 0; i < n; ++i) tiles[u * n + i] = std::clamp(0.5f + 0.5f * weight[u * n + i] / m, 0.0f, 1.0f);
  }
  return image_grid(tiles, 0, cols, 1, scale);
}

}  // namespace aekit::draw
