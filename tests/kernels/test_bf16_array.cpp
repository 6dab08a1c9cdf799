// Array conversions to and from bf16 (kernels/bf16_array.h), which the bf16 boundaries between
// layers use: the vector code rounds every value as the scalar to_bf16 does (ties to even, NaN
// kept, infinities, denormals and signed zeros kept) at every length and alignment, from_bf16 is
// exact, and the relu / leaky_relu derivative on bf16 gradients matches its definition. Needs no
// bf16 hardware (integer code).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/bf16_array.h"
#include "kernels/packed_gemv_bf16.h"
#include "tensor/rng.h"

namespace aekit::kernels {
namespace {

float bits(uint32_t u) {
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

// Hard values (ties both ways, NaNs with payload only in the low half, infinities, denormals,
// zeros) among random ones of every magnitude.
std::vector<float> awkward_values(size_t n) {
  std::vector<float> v = {1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f, -(1.0f + 0x1p-8f), bits(0x7f800001u), bits(0xffc00000u),
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                          bits(0x00000001u), bits(0x807fffffu), 0.0f, -0.0f, bits(0x7f7fffffu)};
  Rng rng(3);
  while (v.size() < n) v.push_back(bits(static_cast<uint32_t>(rng.next_u64())));
  return v;
}

TEST(Bf16Array, RoundsEveryValueAsTheScalarConversion) {
  const std::vector<float> x = awkward_values(1000);
  for (size_t offset : {0, 1, 7}) {
    for (size_t n : {0, 1, 15, 16, 17, 33, 200, 993}) {
      std::vector<uint16_t> h(n + 1, 0xdead);
      to_bf16(x.data() + offset, static_cast<int64_t>(n), h.data());
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(h[i], to_bf16(x[offset + i])) << "offset " << offset << " n " << n << " i " << i;
      ASSERT_EQ(h[n], 0xdead) << "wrote past the end, n " << n;
      std::vector<float> back(n + 1, -7.0f);
      from_bf16(h.data(), static_cast<int64_t>(n), back.data());
      for (size_t i = 0; i < n; ++i) {
        uint32_t got, want = static_cast<uint32_t>(h[i]) << 16;
        std::memcpy(&got, &back[i], sizeof got);
        ASSERT_EQ(got, want) << "i " << i;
      }
      ASSERT_EQ(back[n], -7.0f);
    }
  }
}

TEST(Bf16Array, LeakyGradientOnBf16MatchesTheDefinition) {
  Rng rng(5);
  const int64_t n = 70000 + 13;  // several threads' chunks and a ragged end
  std::vector<uint16_t> y(n), dy(n);
  for (int64_t i = 0; i < n; ++i) {
    y[i] = to_bf16(static_cast<float>(rng.normal()));
    dy[i] = to_bf16(static_cast<float>(rng.normal()));
  }
  y[0] = to_bf16(0.0f), y[1] = to_bf16(-0.0f);  // zero is not positive
  for (float slope : {0.0f, 0.2f}) {
    std::vector<float> g(n);
    leaky_grad_bf16(y.data(), dy.data(), slope, g.data(), n);
    std::vector<uint16_t> d = dy;
    leaky_grad_bf16_inplace(y.data(), d.data(), slope, n);
    for (int64_t i = 0; i < n; ++i) {
      const float want = from_bf16(y[i]) > 0 ? from_bf16(dy[i]) : slope * from_bf16(dy[i]);
      ASSERT_EQ(g[i], want) << "slope " << slope << " i " << i;
      ASSERT_EQ(d[i], to_bf16(want)) << "slope " << slope << " i " << i;
    }
  }
}

}  // namespace
}  // namespace aekit::kernels
