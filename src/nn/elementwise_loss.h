// ElementwiseLoss<L>: a Loss whose per-sample value is scale * (sum or mean) of L::value(p, t)
// over features. The loss value and its gradient are computed in one parallel pass; partial
// sums are per thread in double and combined in thread order, so results are deterministic.
#pragma once
#include <omp.h>

#include <algorithm>
#include <vector>

#include "kernels/parallel.h"
#include "nn/loss.h"
#include "tensor/error.h"

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace aekit::nn {

#ifdef __AVX2__
// End of a loss's vectorised block (L::block): the eight lanes of acc summed, plus elements
// i..n-1 done one at a time by L::value_grad.
template <class L>
float finish_block(__m256 acc, const float* p, const float* t, float* g, int64_t i, int64_t n, float gscale) {
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, acc);
  float sum = 0;
  for (float v : lanes) sum += v;
  for (; i < n; ++i) {
    float gi;
    sum += L::value_grad(p[i], t[i], gi);
    g[i] = gi * gscale;
  }
  return sum;
}
#endif

template <class L>
class ElementwiseLoss : public Loss {
 public:
  using Loss::Loss;
  std::string type() const override { return L::name; }

  double forward(const Tensor& pred, const Tensor& target) override {
    check(pred, target);
    const int64_t batch = pred.dim(0), f = pred.sample_size();
    grad_.resize(pred.shape());
    const double per = reduction_ == Reduction::mean ? 1.0 / f : 1.0;
    const float gscale = static_cast<float>(scale_ * per / batch);
    std::vector<double> partial(omp_get_max_threads(), 0.0);
    const float* p = pred.data();
    const float* t = target.data();
    float* g = grad_.data();
    kernels::parallel_for(pred.size(), 16384, [&](int64_t b, int64_t e, int th) {
      // Float sums over short blocks (vectorised), double across blocks (accurate).
      double s = 0;
      for (int64_t i0 = b; i0 < e; i0 += 256) {
        const int64_t i1 = std::min(e, i0 + 256);
        s += block_value_grad(p + i0, t + i0, g + i0, i1 - i0, gscale);
      }
      partial[th] = s;
    });
    double total = 0;
    for (double s : partial) total += s;
    return total * scale_ * per / batch;
  }

  void per_sample(const Tensor& pred, const Tensor& target, double* out) const override {
    check(pred, target);
    const int64_t batch = pred.dim(0), f = pred.sample_size();
    const double per = reduction_ == Reduction::mean ? 1.0 / f : 1.0;
    kernels::parallel_for(batch, 8, [&](int64_t b, int64_t e, int) {
      for (int64_t r = b; r < e; ++r) {
        double s = 0;
        float unused;
        for (int64_t j = 0; j < f; ++j)
          s += L::value_grad(pred[r * f + j], target[r * f + j], unused);
        out[r] = s * scale_ * per;
      }
    });
  }

  void to_data_space(Tensor& out) const override { L::to_data_space(out); }

 private:
  // Sum of the element losses of a short block, gradients scaled into g. A loss may supply its
  // own vectorised block (L::block) when its element function has calls the compiler cannot
  // vectorise (logarithms).
  static float block_value_grad(const float* p, const float* t, float* g, int64_t n, float gscale) {
    if constexpr (requires { L::block(p, t, g, n, gscale); }) {
      return L::block(p, t, g, n, gscale);
    } else {
      float sum = 0;
#pragma omp simd reduction(+ : sum)
      for (int64_t i = 0; i < n; ++i) {
        float gi;
        sum += L::value_grad(p[i], t[i], gi);
        g[i] = gi * gscale;
      }
      return sum;
    }
  }

  static void check(const Tensor& pred, const Tensor& target) {
    require(pred.size() == target.size() && pred.dim(0) == target.dim(0),
            std::string(L::name) + " loss: prediction " + aekit::to_string(pred.shape()) +
                " and target " + aekit::to_string(target.shape()) + " do not match");
  }
};

}  // namespace aekit::nn
