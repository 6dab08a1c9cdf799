#include "eval/cosine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/matmul.h"
#include "tensor/error.h"

namespace aekit::eval {

double cosine_similarity(const float* a, const float* b, int64_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (int64_t i = 0; i < n; ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

std::vector<double> rowwise_cosine(const Tensor& a, const Tensor& b) {
  require(a.shape() == b.shape(), "cosine: shapes " + to_string(a.shape()) + " and " +
                                      to_string(b.shape()) + " differ");
  const int64_t n = a.rank() ? a.dim(0) : 0, d = a.sample_size();
  std::vector<double> s(n);
  for (int64_t i = 0; i < n; ++i) s[i] = cosine_similarity(a.data() + i * d, b.data() + i * d, d);
  return s;
}

std::vector<std::pair<int64_t, double>> rank_by_cosine(const float* query, const Tensor& candidates,
                                                       int64_t k) {
  const int64_t n = candidates.rank() ? candidates.dim(0) : 0, d = candidates.sample_size();
  std::vector<std::pair<int64_t, double>> r(n);
  for (int64_t i = 0; i < n; ++i) r[i] = {i, cosine_similarity(query, candidates.data() + i * d, d)};
  const auto better = [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  };
  k = std::clamp<int64_t>(k, 0, n);
  std::partial_sort(r.begin(), r.begin() + k, r.end(), better);
  r.resize(k);
  return r;
}

namespace {

// For every query row: argmax over table rows r (allowed ones) of q . t_r + bias[r], one
// matmul per block of queries; ties go to the lower row. Shared by the cosine and L2 lookups.
std::vector<int32_t> argmax_rows(const Tensor& queries, const Tensor& table, const std::vector<float>& bias,
                                 const std::vector<uint8_t>& allowed) {
  const int64_t V = table.dim(0), D = table.dim(1), n = queries.size() / D;
  constexpr int64_t kBlock = 256;
  Tensor scores({kBlock, V});
  std::vector<int32_t> best(n, 0);
  for (int64_t b0 = 0; b0 < n; b0 += kBlock) {
    const int64_t m = std::min(kBlock, n - b0);
    kernels::Gemm g;
    g.trans_b = true;
    g.m = m, g.n = V, g.k = D;
    kernels::gemm(g, queries.data() + b0 * D, table.data(), scores.data());
    for (int64_t i = 0; i < m; ++i) {
      const float* s = scores.data() + i * V;
      int64_t arg = -1;
      for (int64_t r = 0; r < V; ++r)
        if ((allowed.empty() || allowed[r]) && (arg < 0 || s[r] + bias[r] > s[arg] + bias[arg])) arg = r;
      if (arg < 0) throw std::invalid_argument("nearest_rows: no allowed row");
      best[b0 + i] = static_cast<int32_t>(arg);
    }
  }
  return best;
}

void check_lookup(const Tensor& queries, const Tensor& table, const std::vector<uint8_t>& allowed) {
  require(table.rank() == 2, "nearest_rows: table must be [rows, dim], got " + to_string(table.shape()));
  const int64_t V = table.dim(0), D = table.dim(1);
  require(queries.rank() >= 1 && queries.dim(-1) == D,
          "nearest_rows: queries " + to_string(queries.shape()) + " do not end in " + std::to_string(D));
  require(allowed.empty() || static_cast<int64_t>(allowed.size()) == V,
          "nearest_rows: allowed has " + std::to_string(allowed.size()) + " entries for " +
              std::to_string(V) + " rows");
}

}  // namespace

std::vector<int32_t> nearest_rows(const Tensor& queries, const Tensor& table,
                                  const std::vector<uint8_t>& allowed) {
  check_lookup(queries, table, allowed);
  const int64_t V = table.dim(0), D = table.dim(1);
  // Unit-length table rows (zero rows stay zero), so one matmul gives cos * |query|, whose
  // argmax over the table is the argmax of the cosine.
  Tensor unit({V, D});
  for (int64_t r = 0; r < V; ++r) {
    double ss = 0;
    for (int64_t j = 0; j < D; ++j) ss += static_cast<double>(table[r * D + j]) * table[r * D + j];
    const float inv = ss > 0 ? static_cast<float>(1.0 / std::sqrt(ss)) : 0.0f;
    for (int64_t j = 0; j < D; ++j) unit[r * D + j] = table[r * D + j] * inv;
  }
  return argmax_rows(queries, unit, std::vector<float>(V, 0.0f), allowed);
}

std::vector<int32_t> nearest_rows_l2(const Tensor& queries, const Tensor& table) {
  check_lookup(queries, table, {});
  const int64_t V = table.dim(0), D = table.dim(1);
  // argmin |q - t|^2 = argmax q.t - |t|^2 / 2 (halving is exact, so ties are the same).
  std::vector<float> bias(V, 0.0f);
  for (int64_t r = 0; r < V; ++r) {
    for (int64_t j = 0; j < D; ++j) bias[r] += table[r * D + j] * table[r * D + j];
    bias[r] *= -0.5f;
  }
  return argmax_rows(queries, table, bias, {});
}

}  // namespace aekit::eval
