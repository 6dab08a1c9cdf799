#include "report/latent_figures.h"

#include <algorithm>
#include <cstdio>

#include "eval/latent.h"
#include "eval/pca.h"
#include "draw/image_grid.h"
#include "draw/png.h"
#include "tensor/error.h"

namespace aekit::report {
namespace {
void require_2d(models::Autoencoder& model, const char* what) {
  require(numel(model.code_shape()) == 2, std::string(what) + " needs a model with a 2-D code; this one has " +
                                              std::to_string(numel(model.code_shape())));
}
double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}
}  // namespace

LatentBox latent_range(models::Autoencoder& model, const Tensor& x) {
  LatentBox b;
  if (model.is_vae() || numel(model.code_shape()) != 2) return b;
  Tensor z = eval::encode_all(model, x);
  std::vector<double> a, c;
  for (int64_t i = 0; i < z.dim(0); ++i) {
    a.push_back(z[2 * i]);
    c.push_back(z[2 * i + 1]);
  }
  b.x = {percentile(a, 0.01), percentile(a, 0.99)};
  b.y = {percentile(c, 0.01), percentile(c, 0.99)};
  return b;
}

void write_prior_samples(const std::string& path, models::Autoencoder& model, int rows, int cols, uint64_t seed) {
  const int64_t L = numel(model.code_shape());
  Tensor z({static_cast<int64_t>(rows) * cols, L});
  Rng rng(seed);
  for (float& v : z) v = rng.normal();
  draw::write_png(path, draw::image_grid(eval::decode_all(model, z), rows, cols, 2, 2));
}

void write_latent_scatter(const std::string& path, models::Autoencoder& model, const Tensor& x,
                          const std::vector<int>& labels, const std::optional<LatentBox>& zoom,
                          const std::vector<std::string>& class_names) {
  Tensor z = eval::encode_all(model, x);
  const int64_t width = z.sample_size();
  draw::PlotOptions o;
  o.width = 720;
  o.height = 600;
  o.title = model.is_vae() ? "latent means of the test set" : "codes of the test set";
  o.x_label = "z[0]";
  o.y_label = "z[1]";
  o.label_names = class_names;
  if (width > 2) {
    const eval::Pca pca = eval::fit_pca(z, 2);
    double total = 0;  // the codes' total variance: the trace of their covariance
    for (int64_t j = 0; j < width; ++j) {
      double m = 0, v = 0;
      for (int64_t i = 0; i < z.dim(0); ++i) m += z[i * width + j];
      m /= static_cast<double>(z.dim(0));
      for (int64_t i = 0; i < z.dim(0); ++i) v += (z[i * width + j] - m) * (z[i * width + j] - m);
      total += v / static_cast<double>(z.dim(0) - 1);
    }
    const double kept = total > 0 ? (pca.explained_variance[0] + pca.explained_variance[1]) / total : 0;
    char title[160];
    std::snprintf(title, sizeof title, "%s, PCA to 2-D (%lld dims; the 2 components keep %.0f%% of the variance)",
                  o.title.c_str(), static_cast<long long>(width), 100 * kept);
    o.title = title;
    o.x_label = "principal component 1";
    o.y_label = "principal component 2";
    z = eval::pca_transform(pca, z);
  } else {
    require_2d(model, "a latent scatter plot");
    if (model.is_vae()) {
      o.circle = draw::CircleOverlay{0, 0, 1, "1 std of the prior"};
      o.equal_aspect = true;
    }
  }
  std::vector<double> a(z.dim(0)), b(z.dim(0));
  for (int64_t i = 0; i < z.dim(0); ++i) {
    a[i] = z[2 * i];
    b[i] = z[2 * i + 1];
  }
  if (zoom) {
    o.x_range = zoom->x;
    o.y_range = zoom->y;
  }
  draw::write_figure(path, draw::scatter_plot(a, b, labels, o));
}

void write_latent_grid(const std::string& path, models::Autoencoder& model, int n, const LatentBox& box) {
  require_2d(model, "a latent grid");
  require(n >= 2, "latent grid: need at least 2 steps per axis");
  Tensor z({static_cast<int64_t>(n) * n, 2});
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const int64_t i = static_cast<int64_t>(r) * n + c;
      z[2 * i] = static_cast<float>(box.x.lo + (box.x.hi - box.x.lo) * c / (n - 1));
      z[2 * i + 1] = static_cast<float>(box.y.hi - (box.y.hi - box.y.lo) * r / (n - 1));
    }
  draw::write_png(path, draw::image_grid(eval::decode_all(model, z), n, n, 0, 1));
}

void write_latent_traversal(const std::string& path, models::Autoencoder& model, const Tensor& x, int steps,
                            double range) {
  require(steps >= 2, "latent traversal: need at least 2 steps");
  const Tensor base = model.encode(x);
  const int64_t L = base.size();
  Tensor z({L * steps, L});
  for (int64_t j = 0; j < L; ++j)
    for (int s = 0; s < steps; ++s) {
      float* row = z.data() + (j * steps + s) * L;
      std::copy(base.begin(), base.end(), row);
      row[j] = static_cast<float>(-range + 2 * range * s / (steps - 1));
    }
  draw::write_png(path, draw::image_grid(eval::decode_all(model, z), static_cast<int>(L), steps, 1, 1));
}

}  // namespace aekit::report
