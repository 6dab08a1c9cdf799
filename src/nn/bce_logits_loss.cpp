// Binary cross-entropy on logits z (the stable form PyTorch's BCEWithLogitsLoss uses):
//   l = max(z, 0) - z t + log(1 + exp(-|z|)),  dl/dz = sigmoid(z) - t.
// The network's output is a logit; to_data_space() turns it into a probability for pictures.
#include <cmath>

#ifdef __AVX2__
#include <immintrin.h>
extern "C" __m256 _ZGVdN8v_expf(__m256);    // glibc libmvec
extern "C" __m256 _ZGVdN8v_log1pf(__m256);  // glibc libmvec (2.35+)
#endif

#include "nn/activation.h"
#include "nn/elementwise_loss.h"
#include "nn/losses.h"

namespace aekit::nn {
namespace {
struct BceLogits {
  static constexpr const char* name = "bce_logits";
  static float value_grad(float z, float t, float& g) {
    float e = std::exp(-std::fabs(z));
    float s = z >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
    g = s - t;
    return std::max(z, 0.0f) - z * t + std::log1p(e);
  }
  static void to_data_space(Tensor& out) { apply_act(Act::sigmoid, 0, out.data(), out.size()); }
#ifdef __AVX2__
  // Eight elements at a time with glibc's vector expf/log1pf (libmvec, <= 4 ulp): the scalar
  // libm calls were ~10% of a chapter-002 VAE step. Same formulas as value_grad.
  static float block(const float* z, const float* t, float* g, int64_t n, float gscale) {
    const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps(), scale = _mm256_set1_ps(gscale),
                 sign = _mm256_set1_ps(-0.0f);
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const __m256 zv = _mm256_loadu_ps(z + i), tv = _mm256_loadu_ps(t + i);
      const __m256 e = _ZGVdN8v_expf(_mm256_or_ps(zv, sign));  // exp(-|z|)
      const __m256 inv = _mm256_div_ps(one, _mm256_add_ps(one, e));
      const __m256 s = _mm256_blendv_ps(_mm256_mul_ps(e, inv), inv, _mm256_cmp_ps(zv, zero, _CMP_GE_OQ));
      _mm256_storeu_ps(g + i, _mm256_mul_ps(_mm256_sub_ps(s, tv), scale));
      const __m256 v = _mm256_add_ps(_mm256_sub_ps(_mm256_max_ps(zv, zero), _mm256_mul_ps(zv, tv)),
                                     _ZGVdN8v_log1pf(e));
      acc = _mm256_add_ps(acc, v);
    }
    return finish_block<BceLogits>(acc, z, t, g, i, n, gscale);
  }
#endif
};
}  // namespace

std::unique_ptr<Loss> make_bce_logits(Reduction r, double scale) {
  return std::make_unique<ElementwiseLoss<BceLogits>>(r, scale);
}

}  // namespace aekit::nn
