#include "eval/pca.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "tensor/error.h"

// LAPACK (Fortran ABI; the trailing arguments are the hidden lengths of the character arguments).
extern "C" void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n, double* a,
                        const int* lda, const double* vl, const double* vu, const int* il, const int* iu,
                        const double* abstol, int* m, double* w, double* z, const int* ldz, int* isuppz,
                        double* work, const int* lwork, int* iwork, const int* liwork, int* info,
                        size_t jobz_len, size_t range_len, size_t uplo_len);

namespace aekit::eval {
namespace {

constexpr int64_t kRows = 256;  // samples per block converted to double
constexpr int64_t kTi = 4, kTj = 8;  // register tile of the scatter matrix
static_assert(kTj % kTi == 0, "the i loop steps through Dp, a multiple of kTj");

// sum_n (x_n - mean)(x_n - mean)^T in double, as a Dp x Dp matrix (Dp = D rounded up to kTj)
// of which only tiles touching the upper triangle are filled. The 4x8 register tile (the fastest
// shape measured) keeps it compute-bound: 60000 x 784 takes ~3.5 s on one core at -O3, within 2x
// of OpenBLAS's dsyrk.
std::vector<double> scatter(const Tensor& x, const std::vector<double>& mean, int64_t Dp) {
  const int64_t N = x.dim(0), D = x.sample_size();
  std::vector<double> s(Dp * Dp, 0.0), blk(kRows * Dp, 0.0);
  for (int64_t r0 = 0; r0 < N; r0 += kRows) {
    const int64_t B = std::min(kRows, N - r0);
    // Waking a second thread costs more than a small block's work.
#pragma omp parallel if (B * Dp * Dp > 4000000)
    {
#pragma omp for
      for (int64_t b = 0; b < B; ++b) {
        const float* row = x.data() + (r0 + b) * D;
        double* out = blk.data() + b * Dp;
        for (int64_t j = 0; j < D; ++j) out[j] = row[j] - mean[j];
      }
#pragma omp for schedule(dynamic, 4)
      for (int64_t i = 0; i < Dp; i += kTi) {
        for (int64_t j = i / kTj * kTj; j < Dp; j += kTj) {
          double acc[kTi][kTj] = {};
          for (int64_t b = 0; b < B; ++b) {
            const double* xb = blk.data() + b * Dp;
            for (int64_t r = 0; r < kTi; ++r)
              for (int64_t c = 0; c < kTj; ++c) acc[r][c] += xb[i + r] * xb[j + c];
          }
          for (int64_t r = 0; r < kTi; ++r)
            for (int64_t c = 0; c < kTj; ++c) s[(i + r) * Dp + j + c] += acc[r][c];
        }
      }
    }
  }
  return s;
}

}  // namespace

Pca fit_pca(const Tensor& x, int k) {
  require(x.rank() >= 2, "pca: data must be [samples, features...], got " + to_string(x.shape()));
  const int64_t N = x.dim(0), D = x.sample_size();
  require(N >= 2, "pca: needs at least 2 samples, got " + std::to_string(N));
  require(k >= 1 && k <= D, "pca: k = " + std::to_string(k) + " must be in [1, " + std::to_string(D) + "]");
  require(D <= 46340, "pca: " + std::to_string(D) + " features are too many for a dense covariance");

  std::vector<double> mean(D, 0.0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t j = 0; j < D; ++j) mean[j] += x[n * D + j];
  for (double& m : mean) m /= static_cast<double>(N);

  const int64_t Dp = (D + kTj - 1) / kTj * kTj;
  const std::vector<double> s = scatter(x, mean, Dp);
  // Full symmetric covariance (dsyevr reads one triangle; filling both keeps the layout moot).
  std::vector<double> cov(D * D);
  for (int64_t i = 0; i < D; ++i)
    for (int64_t j = i; j < D; ++j) cov[i * D + j] = cov[j * D + i] = s[i * Dp + j] / static_cast<double>(N - 1);

  // Only the k largest eigenpairs: indices D-k+1 .. D in LAPACK's ascending order.
  const int n = static_cast<int>(D), il = n - k + 1, iu = n;
  const double vl = 0, vu = 0, abstol = 0;
  int m = 0, info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  std::vector<double> w(D), z(D * static_cast<int64_t>(k));
  std::vector<int> isuppz(2 * static_cast<size_t>(k));
  dsyevr_("V", "I", "U", &n, cov.data(), &n, &vl, &vu, &il, &iu, &abstol, &m, w.data(), z.data(), &n,
          isuppz.data(), &work_query, &lwork, &iwork_query, &liwork, &info, 1, 1, 1);
  if (info != 0) throw std::runtime_error("pca: dsyevr workspace query failed, info " + std::to_string(info));
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(lwork);
  std::vector<int> iwork(liwork);
  dsyevr_("V", "I", "U", &n, cov.data(), &n, &vl, &vu, &il, &iu, &abstol, &m, w.data(), z.data(), &n,
          isuppz.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1, 1);
  if (info != 0 || m != k)
    throw std::runtime_error("pca: dsyevr failed, info " + std::to_string(info) + ", " + std::to_string(m) +
                             " of " + std::to_string(k) + " eigenpairs");

  Pca p;
  p.mean = Tensor({D});
  for (int64_t j = 0; j < D; ++j) p.mean[j] = static_cast<float>(mean[j]);
  p.components = Tensor({k, D});
  for (int c = 0; c < k; ++c) {
    const int src = k - 1 - c;  // dsyevr returns ascending eigenvalues
    const double* v = z.data() + static_cast<int64_t>(src) * D;  // column-major: one eigenvector per column
    int64_t big = 0;
    for (int64_t j = 1; j < D; ++j)
      if (std::fabs(v[j]) > std::fabs(v[big])) big = j;
    const double sign = v[big] < 0 ? -1.0 : 1.0;
    for (int64_t j = 0; j < D; ++j) p.components[c * D + j] = static_cast<float>(sign * v[j]);
    p.explained_variance.push_back(w[src]);
  }
  return p;
}

Tensor pca_transform(const Pca& pca, const Tensor& x) {
  const int64_t k = pca.components.rank() == 2 ? pca.components.dim(0) : 0, D = pca.mean.size();
  require(k > 0 && pca.components.dim(1) == D, "pca: components " + to_string(pca.components.shape()) +
                                                   " do not match the mean " + to_string(pca.mean.shape()));
  require(x.rank() >= 2 && x.sample_size() == D,
          "pca: data " + to_string(x.shape()) + " does not have " + std::to_string(D) + " features per sample");
  const int64_t N = x.dim(0);
  Tensor codes({N, k});
#pragma omp parallel for schedule(static) if (N * k * D > 2000000)
  for (int64_t n = 0; n < N; ++n) {
    const float* row = x.data() + n * D;
    for (int64_t c = 0; c < k; ++c) {
      const float* v = pca.components.data() + c * D;
      double acc = 0;
      for (int64_t j = 0; j < D; ++j) acc += (static_cast<double>(row[j]) - pca.mean[j]) * v[j];
      codes[n * k + c] = static_cast<float>(acc);
    }
  }
  return codes;
}

}  // namespace aekit::eval
