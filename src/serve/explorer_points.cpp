#include "serve/explorer_points.h"

#include <cstdio>

#include "eval/latent.h"
#include "run/run_data.h"

namespace aekit::serve {

std::vector<float> ExplorerPoints::code_at(double x, double y) const {
  const int64_t L = codes.dim(1);
  if (!pca) {
    std::vector<float> z{static_cast<float>(x)};
    if (L == 2) z.push_back(static_cast<float>(y));
    return z;
  }
  std::vector<float> z(L);
  for (int64_t j = 0; j < L; ++j)
    z[j] = static_cast<float>(pca->mean[j] + x * pca->components[j] + y * pca->components[L + j]);
  return z;
}

ExplorerPoints make_explorer_points(models::Autoencoder& model, const run::RunConfig& cfg,
                                    const std::string& data_override, int64_t max_points) {
  ExplorerPoints p;
  run::RunData data;
  try {
    run::RunConfig c = cfg;
    if (!data_override.empty()) run::set_dataset(c, data_override);
    if (c.data.test_limit == 0 || c.data.test_limit > max_points) c.data.test_limit = max_points;
    data = run::load_run_data(c, /*need_train=*/false);
  } catch (const std::exception& e) {
    p.unavailable = std::string("the test data could not be read: ") + e.what();
    return p;
  }
  Tensor x = run::noisy_test_inputs(data);
  if (x.dim(0) > max_points) {
    Shape s = x.shape();
    s[0] = max_points;
    Tensor cut(s);
    std::copy(x.data(), x.data() + cut.size(), cut.data());
    x = std::move(cut);
  }
  const int64_t n = x.dim(0);
  if (n < 2) {
    p.unavailable = "the test split has fewer than 2 samples";
    return p;
  }
  p.codes = eval::encode_all(model, x);
  p.codes.reshape({n, p.codes.size() / n});
  const int64_t L = p.codes.dim(1);
  p.labels = data.test.labels;
  p.labels.resize(data.test.labels.empty() ? 0 : n);
  p.xy = Tensor({n, 2});
  if (L <= 2) {
    for (int64_t i = 0; i < n; ++i) {
      p.xy[2 * i] = p.codes[i * L];
      p.xy[2 * i + 1] = L == 2 ? p.codes[i * L + 1] : 0.0f;
    }
    p.projection = L == 2 ? "the 2-D codes themselves (z1, z2)" : "the 1-D code on x (y = 0)";
  } else {
    p.pca = eval::fit_pca(p.codes, 2);
    p.xy = eval::pca_transform(*p.pca, p.codes);
    double total = 0;
    for (int64_t j = 0; j < L; ++j) {
      double mean = 0, sq = 0;
      for (int64_t i = 0; i < n; ++i) mean += p.codes[i * L + j];
      mean /= n;
      for (int64_t i = 0; i < n; ++i) sq += (p.codes[i * L + j] - mean) * (p.codes[i * L + j] - mean);
      total += sq / (n - 1);
    }
    const double shown = p.pca->explained_variance[0] + p.pca->explained_variance[1];
    char buf[200];
    std::snprintf(buf, sizeof buf, "PCA of the %lld-D codes: principal components 1 and 2 (%.0f%% of their variance)",
                  static_cast<long long>(L), total > 0 ? 100.0 * shown / total : 0.0);
    p.projection = buf;
  }
  p.inputs = std::move(x);
  return p;
}

}  // namespace aekit::serve
