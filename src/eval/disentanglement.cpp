#include "eval/disentanglement.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <string>

#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::eval {
namespace {

constexpr int kFactors = 5;
constexpr int64_t kImagesPerCall = 2048;
constexpr int kSteps = 500;  // gradient-descent steps of the classifier
constexpr int kBins = 20;    // MIG's discretisation

struct Points {
  std::vector<double> z_diff;  // [n, latent]
  std::vector<int> factor;     // [n]: the factor each point holds fixed
  int64_t latent = 0;
};

Points sample_points(const ShapesEncoder& encode, Rng& rng, int n, int L, int64_t latent) {
  const std::array<int, 5> sizes = data::factor_sizes();
  Points p;
  p.factor.resize(n);
  p.latent = latent;
  const int64_t per_call = std::max<int64_t>(1, kImagesPerCall / (2 * static_cast<int64_t>(L)));
  for (int64_t p0 = 0; p0 < n; p0 += per_call) {
    const int64_t np = std::min<int64_t>(per_call, n - p0);
    // Rows 2 (i L + l) and 2 (i L + l) + 1 are pair l of point i.
    std::vector<data::ShapesFactors> fs(2 * np * L);
    for (int64_t i = 0; i < np; ++i) {
      const int k = static_cast<int>(rng.below(kFactors));
      p.factor[p0 + i] = k;
      for (int64_t l = 0; l < L; ++l) {
        data::ShapesFactors& a = fs[2 * (i * L + l)];
        data::ShapesFactors& b = fs[2 * (i * L + l) + 1];
        for (int f = 0; f < kFactors; ++f) {
          data::set_factor(a, f, static_cast<int>(rng.below(sizes[f])));
          data::set_factor(b, f, static_cast<int>(rng.below(sizes[f])));
        }
        data::set_factor(b, k, data::factor(a, k));
      }
    }
    const int64_t rows = static_cast<int64_t>(fs.size());
    const Tensor z = encode(data::render_shapes(fs));
    require(z.rank() >= 1 && z.dim(0) == rows && z.sample_size() > 0,
            "beta-VAE metric: the encoder returned " + to_string(z.shape()) + " for " + std::to_string(rows) + " images");
    if (p.latent == 0) p.latent = z.sample_size();
    require(z.sample_size() == p.latent, "beta-VAE metric: the encoder returned " + std::to_string(z.sample_size()) +
                                             " latents after " + std::to_string(p.latent));
    const int64_t D = p.latent;
    p.z_diff.resize((p0 + np) * D, 0.0);
    for (int64_t i = 0; i < np; ++i) {
      double* out = p.z_diff.data() + (p0 + i) * D;
      for (int64_t l = 0; l < L; ++l) {
        const float* za = z.data() + 2 * (i * L + l) * D;
        for (int64_t d = 0; d < D; ++d) out[d] += std::fabs(static_cast<double>(za[d]) - za[D + d]);
      }
      for (int64_t d = 0; d < D; ++d) {
        out[d] /= L;
        require(std::isfinite(out[d]), "beta-VAE metric: the encoder returned a non-finite code");
      }
    }
  }
  return p;
}

// Multinomial logistic regression of the factor on z_diff; returns the accuracy on `test`.
double linear_probe(const Points& train, const Points& test) {
  const int64_t n = static_cast<int64_t>(train.factor.size()), D = train.latent, F = D + 1;
  // Standardised features plus a constant 1 for the bias, so one step size suits every input.
  std::vector<double> mean(D, 0.0), inv_sd(D, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t d = 0; d < D; ++d) mean[d] += train.z_diff[i * D + d] / n;
  for (int64_t d = 0; d < D; ++d) {
    double v = 0;
    for (int64_t i = 0; i < n; ++i) v += (train.z_diff[i * D + d] - mean[d]) * (train.z_diff[i * D + d] - mean[d]);
    const double sd = std::sqrt(v / n);
    inv_sd[d] = sd > 1e-12 ? 1 / sd : 0.0;  // a constant feature carries nothing
  }
  const auto features = [&](const Points& p) {
    const int64_t m = static_cast<int64_t>(p.factor.size());
    std::vector<double> x(m * F);
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t d = 0; d < D; ++d) x[i * F + d] = (p.z_diff[i * D + d] - mean[d]) * inv_sd[d];
      x[i * F + D] = 1;
    }
    return x;
  };
  const std::vector<double> x = features(train);

  // The loss's curvature is at most lambda_max(x^T x / n) / 2; step 2 / lambda_max is half the
  // stability limit. lambda_max by power iteration on the (D+1)^2 second-moment matrix.
  std::vector<double> a(F * F, 0.0), v(F, 1.0), av(F);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t r = 0; r < F; ++r)
      for (int64_t c = 0; c < F; ++c) a[r * F + c] += x[i * F + r] * x[i * F + c] / n;
  double lambda = 1;
  for (int it = 0; it < 100; ++it) {
    double norm = 0;
    for (int64_t r = 0; r < F; ++r) {
      av[r] = 0;
      for (int64_t c = 0; c < F; ++c) av[r] += a[r * F + c] * v[c];
      norm += av[r] * av[r];
    }
    norm = std::sqrt(norm);
    lambda = std::max(norm, 1e-12);
    for (int64_t r = 0; r < F; ++r) v[r] = av[r] / lambda;
  }
  const double lr = 2 / lambda;

  std::vector<double> w(F * kFactors, 0.0), grad(F * kFactors), prob(kFactors);
  const auto logits = [&](const double* xi, double* out) {
    for (int c = 0; c < kFactors; ++c) out[c] = 0;
    for (int64_t f = 0; f < F; ++f)
      for (int c = 0; c < kFactors; ++c) out[c] += xi[f] * w[f * kFactors + c];
  };
  for (int step = 0; step < kSteps; ++step) {
    std::fill(grad.begin(), grad.end(), 0.0);
    for (int64_t i = 0; i < n; ++i) {
      const double* xi = x.data() + i * F;
      logits(xi, prob.data());
      const double top = *std::max_element(prob.begin(), prob.end());
      double sum = 0;
      for (double& q : prob) sum += (q = std::exp(q - top));
      for (int c = 0; c < kFactors; ++c) {
        const double g = prob[c] / sum - (c == train.factor[i]);
        for (int64_t f = 0; f < F; ++f) grad[f * kFactors + c] += g * xi[f];
      }
    }
    for (int64_t j = 0; j < F * kFactors; ++j) w[j] -= lr * grad[j] / n;
  }

  const std::vector<double> xt = features(test);
  const int64_t m = static_cast<int64_t>(test.factor.size());
  int64_t correct = 0;
  for (int64_t i = 0; i < m; ++i) {
    logits(xt.data() + i * F, prob.data());
    correct += std::max_element(prob.begin(), prob.end()) - prob.begin() == test.factor[i];
  }
  return static_cast<double>(correct) / m;
}

// Empirical mutual information (nats) of two discrete variables with values in [0, na) and [0, nb).
double mutual_information(const std::vector<int>& a, int na, const std::vector<int>& b, int nb) {
  const double n = static_cast<double>(a.size());
  std::vector<double> joint(na * nb, 0.0), pa(na, 0.0), pb(nb, 0.0);
  for (size_t i = 0; i < a.size(); ++i) joint[a[i] * nb + b[i]] += 1 / n;
  for (int i = 0; i < na; ++i)
    for (int j = 0; j < nb; ++j) pa[i] += joint[i * nb + j], pb[j] += joint[i * nb + j];
  double mi = 0;
  for (int i = 0; i < na; ++i)
    for (int j = 0; j < nb; ++j)
      if (joint[i * nb + j] > 0) mi += joint[i * nb + j] * std::log(joint[i * nb + j] / (pa[i] * pb[j]));
  return std::max(mi, 0.0);
}

}  // namespace

double beta_vae_metric(const ShapesEncoder& encode, uint64_t seed, int n_train, int n_test, int L) {
  require(n_train >= 1 && n_test >= 1 && L >= 1, "beta-VAE metric: n_train " + std::to_string(n_train) + ", n_test " +
                                                     std::to_string(n_test) + " and L " + std::to_string(L) +
                                                     " must all be >= 1");
  const Rng root(seed);
  Rng train_rng = root.fork(0), test_rng = root.fork(1);
  const Points train = sample_points(encode, train_rng, n_train, L, 0);
  const Points test = sample_points(encode, test_rng, n_test, L, train.latent);
  return linear_probe(train, test);
}

double mig(const Tensor& codes, const std::vector<data::ShapesFactors>& factors) {
  require(codes.rank() >= 2, "mig: codes must be [samples, latent], got " + to_string(codes.shape()));
  const int64_t N = codes.dim(0), J = codes.sample_size();
  require(static_cast<int64_t>(factors.size()) == N,
          "mig: " + std::to_string(factors.size()) + " factor vectors for " + std::to_string(N) + " codes");
  require(J >= 2, "mig: needs at least 2 latents, got " + std::to_string(J));

  std::vector<std::vector<int>> binned(J, std::vector<int>(N));
  for (int64_t j = 0; j < J; ++j) {
    float lo = codes[j], hi = codes[j];
    for (int64_t i = 0; i < N; ++i) {
      const float v = codes[i * J + j];
      require(std::isfinite(v), "mig: code " + std::to_string(i) + " has a non-finite value");
      lo = std::min(lo, v), hi = std::max(hi, v);
    }
    const double width = (static_cast<double>(hi) - lo) / kBins;
    for (int64_t i = 0; i < N; ++i)
      binned[j][i] = width > 0 ? std::min(kBins - 1, static_cast<int>((codes[i * J + j] - static_cast<double>(lo)) / width)) : 0;
  }

  const std::array<int, 5> sizes = data::factor_sizes();
  double total = 0;
  for (int k = 0; k < kFactors; ++k) {
    std::vector<int> v(N);
    for (int64_t i = 0; i < N; ++i) {
      v[i] = data::factor(factors[i], k);
      require(v[i] >= 0 && v[i] < sizes[k], "mig: sample " + std::to_string(i) + " has " + data::factor_names()[k] +
                                                " index " + std::to_string(v[i]));
    }
    const double h = mutual_information(v, sizes[k], v, sizes[k]);
    require(h > 0, "mig: factor " + data::factor_names()[k] + " is constant in the sample");
    std::vector<double> mi(J);
    for (int64_t j = 0; j < J; ++j) mi[j] = mutual_information(binned[j], kBins, v, sizes[k]);
    std::partial_sort(mi.begin(), mi.begin() + 2, mi.end(), std::greater<double>());
    total += (mi[0] - mi[1]) / h;
  }
  return total / kFactors;
}

}  // namespace aekit::eval
