#include "data/noise.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#ifdef __AVX2__
#include <immintrin.h>
extern "C" __m256 _ZGVdN8v_logf(__m256);  // glibc libmvec
extern "C" __m256 _ZGVdN8v_sinf(__m256);
extern "C" __m256 _ZGVdN8v_cosf(__m256);
#endif

#include "tensor/counter_hash.h"
#include "tensor/error.h"

namespace aekit::data {

const config::Schema<NoiseSpec>& noise_schema() {
  static const auto s = config::Schema<NoiseSpec>("noise")
                            .key("mean", &NoiseSpec::mean)
                            .key("std", &NoiseSpec::std, config::at_least(0))
                            .key("clip", &NoiseSpec::clip)
                            .finally([](NoiseSpec& n, const std::string& path) {
                              if (!n.clip.empty() && (n.clip.size() != 2 || !(n.clip[0] < n.clip[1])))
                                config::fail(config::join(path, "clip"), "must be [lo, hi] with lo < hi");
                            });
  return s;
}

NoiseSpec parse_noise(const nlohmann::json& j, const std::string& path) {
  if (j.is_null()) return {};
  return noise_schema().parse(j, path, {});
}

namespace {
// Standard normals by Box-Muller on counter-hashed uniforms: outputs 2p and 2p + 1 come from
// pair p (u1 = (h + 1) / 2^24 in (0, 1], so |z| <= 5.8; u2 in [0, 1)).
inline void normal_pair(uint64_t key, uint32_t p, float& z0, float& z1) {
  const float u1 = static_cast<float>((counter_hash(key, 2 * p) >> 8) + 1) * (1.0f / 16777216.0f);
  const float u2 = static_cast<float>(counter_hash(key, 2 * p + 1) >> 8) * (1.0f / 16777216.0f);
  const float r = std::sqrt(-2.0f * std::log(u1)), a = 6.2831853f * u2;
  z0 = r * std::cos(a);
  z1 = r * std::sin(a);
}
}  // namespace

void add_noise(const Tensor& x, Tensor& out, const NoiseSpec& spec, Rng& rng) {
  out.resize(x.shape());
  const float m = static_cast<float>(spec.mean), sd = static_cast<float>(spec.std);
  const bool clip = !spec.clip.empty();
  const float clip_lo = clip ? static_cast<float>(spec.clip[0]) : 0.0f, clip_hi = clip ? static_cast<float>(spec.clip[1]) : 0.0f;
  // One draw keys the whole batch; the normals are made 16 at a time with libmvec's 8-lane
  // log/sin/cos (a sequential double Box-Muller per pixel was ~3 % of a conv denoiser's step,
  // on one thread while the other waited).
  const uint64_t key = rng.next_u64();
  const int64_t n = x.size();
  float* o = out.data();
  const float* xd = x.data();
  int64_t i = 0;
#ifdef __AVX2__
  const __m256 scale = _mm256_set1_ps(1.0f / 16777216.0f), two_pi = _mm256_set1_ps(6.2831853f),
               minus2 = _mm256_set1_ps(-2.0f);
  alignas(32) float z[16];
  for (; i + 16 <= n; i += 16) {
    alignas(32) uint32_t h1[8], h2[8];
    const uint32_t p0 = static_cast<uint32_t>(i / 2);
    for (int l = 0; l < 8; ++l) {
      h1[l] = (counter_hash(key, 2 * (p0 + l)) >> 8) + 1;
      h2[l] = counter_hash(key, 2 * (p0 + l) + 1) >> 8;
    }
    const __m256 u1 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(h1))), scale);
    const __m256 u2 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(h2))), scale);
    const __m256 r = _mm256_sqrt_ps(_mm256_mul_ps(minus2, _ZGVdN8v_logf(u1)));
    const __m256 a = _mm256_mul_ps(two_pi, u2);
    // Interleave so output 2p is pair p's cosine and 2p + 1 its sine, as in normal_pair.
    const __m256 c = _mm256_mul_ps(r, _ZGVdN8v_cosf(a)), s = _mm256_mul_ps(r, _ZGVdN8v_sinf(a));
    const __m256 lo = _mm256_unpacklo_ps(c, s), hi = _mm256_unpackhi_ps(c, s);
    _mm256_store_ps(z, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_store_ps(z + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
    for (int l = 0; l < 16; ++l) {
      const float v = xd[i + l] + m + sd * z[l];
      o[i + l] = clip ? std::clamp(v, clip_lo, clip_hi) : v;
    }
  }
#endif
  for (; i < n; i += 2) {
    float z0, z1;
    normal_pair(key, static_cast<uint32_t>(i / 2), z0, z1);
    const float v0 = xd[i] + m + sd * z0;
    o[i] = clip ? std::clamp(v0, clip_lo, clip_hi) : v0;
    if (i + 1 < n) {
      const float v1 = xd[i + 1] + m + sd * z1;
      o[i + 1] = clip ? std::clamp(v1, clip_lo, clip_hi) : v1;
    }
  }
}

}  // namespace aekit::data
