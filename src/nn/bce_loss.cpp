// Binary cross-entropy on probabilities, clamped to [eps, 1-eps] with Keras's eps = 1e-7 so a
// saturated sigmoid output gives a large finite loss instead of inf. Inside the clamp the
// gradient is (p - t) / (p (1 - p)); where the clamp bites it is zero, as in Keras.
#include <cmath>

#ifdef __AVX2__
#include <immintrin.h>
extern "C" __m256 _ZGVdN8v_logf(__m256);  // glibc libmvec
#endif

#include "nn/elementwise_loss.h"
#include "nn/losses.h"

namespace aekit::nn {
namespace {
struct Bce {
  static constexpr const char* name = "bce";
  static constexpr float eps = 1e-7f;
  static float value_grad(float p, float t, float& g) {
    float pc = p < eps ? eps : (p > 1.0f - eps ? 1.0f - eps : p);
    g = (p < eps || p > 1.0f - eps) ? 0.0f : (pc - t) / (pc * (1.0f - pc));
    return -(t * std::log(pc) + (1.0f - t) * std::log1p(-pc));
  }
  static void to_data_space(Tensor&) {}
#ifdef __AVX2__
  // Eight elements at a time with glibc's vector logf (libmvec, <= 4 ulp): the two logarithms
  // per pixel dominate this loss otherwise. Same clamp and zero-gradient rule as value_grad.
  static float block(const float* p, const float* t, float* g, int64_t n, float gscale) {
    const __m256 lo = _mm256_set1_ps(eps), hi = _mm256_set1_ps(1.0f - eps), one = _mm256_set1_ps(1.0f),
                 scale = _mm256_set1_ps(gscale);
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const __m256 pv = _mm256_loadu_ps(p + i), tv = _mm256_loadu_ps(t + i);
      const __m256 pc = _mm256_min_ps(_mm256_max_ps(pv, lo), hi);
      const __m256 inside = _mm256_and_ps(_mm256_cmp_ps(pv, lo, _CMP_GE_OQ), _mm256_cmp_ps(pv, hi, _CMP_LE_OQ));
      const __m256 q = _mm256_sub_ps(one, pc);
      const __m256 ll = _mm256_add_ps(_mm256_mul_ps(tv, _ZGVdN8v_logf(pc)),
                                      _mm256_mul_ps(_mm256_sub_ps(one, tv), _ZGVdN8v_logf(q)));
      acc = _mm256_sub_ps(acc, ll);
      const __m256 grad = _mm256_div_ps(_mm256_sub_ps(pc, tv), _mm256_mul_ps(pc, q));
      _mm256_storeu_ps(g + i, _mm256_and_ps(inside, _mm256_mul_ps(grad, scale)));
    }
    return finish_block<Bce>(acc, p, t, g, i, n, gscale);
  }
#endif
};
}  // namespace

std::unique_ptr<Loss> make_bce(Reduction r, double scale) {
  return std::make_unique<ElementwiseLoss<Bce>>(r, scale);
}

}  // namespace aekit::nn
