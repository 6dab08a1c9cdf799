#include "eval/knn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tensor/error.h"

namespace aekit::eval {
namespace {

constexpr int64_t kChunk = 1024;  // training rows whose distances are computed in one vector pass

void require_finite(const Tensor& t, const char* what) {
  for (int64_t i = 0; i < t.size(); ++i)
    require(std::isfinite(t[i]), std::string("knn: ") + what + " has a non-finite value at element " + std::to_string(i));
}

// The winning label among neighbours sorted nearest first.
int vote(const int* labels, int k) {
  int best = 0, best_count = 0;
  for (int j = 0; j < k; ++j) {
    const int count = static_cast<int>(std::count(labels, labels + k, labels[j]));
    if (count > best_count) best = j, best_count = count;  // strict: the nearest of a tied label set wins
  }
  return labels[best];
}

}  // namespace

std::vector<int> knn_predict(const Tensor& train_codes, const std::vector<int>& train_labels,
                             const Tensor& test_codes, int k) {
  require(train_codes.rank() >= 1 && test_codes.rank() >= 1, "knn: codes must be [samples, ...]");
  const int64_t N = train_codes.dim(0), M = test_codes.dim(0), D = train_codes.sample_size();
  require(test_codes.sample_size() == D, "knn: training codes " + to_string(train_codes.shape()) +
                                             " and test codes " + to_string(test_codes.shape()) + " differ in size");
  require(static_cast<int64_t>(train_labels.size()) == N,
          "knn: " + std::to_string(train_labels.size()) + " labels for " + std::to_string(N) + " training codes");
  require(k >= 1 && k <= N, "knn: k = " + std::to_string(k) + " must be in [1, " + std::to_string(N) + "]");
  require_finite(train_codes, "training codes");
  require_finite(test_codes, "test codes");

  // Feature-major copy so each distance pass is a unit-stride loop over training rows.
  std::vector<double> train(D * N);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t d = 0; d < D; ++d) train[d * N + n] = train_codes[n * D + d];

  std::vector<int> predicted(M);
  // Small searches stay on one thread: waking another costs more than they do.
#pragma omp parallel if (M * N * D > 1000000)
  {
    std::vector<double> dist(kChunk), best_d(k);
    std::vector<int64_t> best_i(k);
    std::vector<int> labels(k);
#pragma omp for schedule(dynamic, 16)
    for (int64_t m = 0; m < M; ++m) {
      std::fill(best_d.begin(), best_d.end(), std::numeric_limits<double>::infinity());
      std::fill(best_i.begin(), best_i.end(), -1);
      const float* q = test_codes.data() + m * D;
      for (int64_t n0 = 0; n0 < N; n0 += kChunk) {
        const int64_t len = std::min(kChunk, N - n0);
        std::fill(dist.begin(), dist.begin() + len, 0.0);
        for (int64_t d = 0; d < D; ++d) {
          const double* t = train.data() + d * N + n0;
          const double qd = q[d];
          for (int64_t j = 0; j < len; ++j) dist[j] += (t[j] - qd) * (t[j] - qd);
        }
        for (int64_t j = 0; j < len; ++j) {
          if (!(dist[j] < best_d[k - 1])) continue;  // equal distance: the earlier row stays
          int pos = k - 1;
          for (; pos > 0 && best_d[pos - 1] > dist[j]; --pos) best_d[pos] = best_d[pos - 1], best_i[pos] = best_i[pos - 1];
          best_d[pos] = dist[j];
          best_i[pos] = n0 + j;
        }
      }
      for (int j = 0; j < k; ++j) labels[j] = train_labels[best_i[j]];
      predicted[m] = vote(labels.data(), k);
    }
  }
  return predicted;
}

double knn_accuracy(const Tensor& train_codes, const std::vector<int>& train_labels, const Tensor& test_codes,
                    const std::vector<int>& test_labels, int k) {
  require(test_codes.rank() >= 1 && test_codes.dim(0) > 0, "knn: no test codes");
  require(static_cast<int64_t>(test_labels.size()) == test_codes.dim(0),
          "knn: " + std::to_string(test_labels.size()) + " labels for " + std::to_string(test_codes.dim(0)) +
              " test codes");
  const std::vector<int> predicted = knn_predict(train_codes, train_labels, test_codes, k);
  int64_t correct = 0;
  for (size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == test_labels[i];
  return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

}  // namespace aekit::eval
