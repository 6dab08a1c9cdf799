#include "support/grad_check.h"

#include <cmath>
#include <sstream>

#include "tensor/rng.h"

namespace aekit::testing {

Tensor random_tensor(const Shape& s, uint64_t seed, float scale, float gap) {
  Rng rng(seed);
  Tensor t(s);
  for (float& v : t) {
    do v = scale * rng.normal();
    while (std::fabs(v) < gap);
  }
  return t;
}

namespace {

double weighted_sum(const Tensor& y, const Tensor& w) {
  double s = 0;
  for (int64_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * w[i];
  return s;
}

bool close(double a, double n, const GradTolerance& t) {
  return std::fabs(a - n) <= t.atol + t.rtol * std::max(std::fabs(a), std::fabs(n));
}

}  // namespace

::testing::AssertionResult check_layer_gradients(nn::Layer& layer, const Tensor& x0, uint64_t seed,
                                                 GradTolerance tol, nn::Mode mode) {
  Tensor x = x0;
  // Layers that draw random numbers (dropout, sampling) get the same draws in every pass.
  const Rng base(seed ^ 0xd1ce);
  Rng rng = base;
  auto forward = [&]() -> const Tensor& {
    rng = base;
    layer.set_rng(&rng);
    return layer.forward(x, mode);
  };
  const Tensor& y0 = forward();
  Tensor w = random_tensor(y0.shape(), seed ^ 0x5eed);
  auto objective = [&]() { return weighted_sum(forward(), w) + layer.penalty(); };

  // Analytic gradients.
  forward();
  Tensor dx = layer.backward(w, true);
  std::vector<std::pair<std::string, Tensor>> dparams;
  for (const auto& p : layer.params())
    if (p.grad) dparams.emplace_back(p.name, *p.grad);

  std::ostringstream bad;
  int failures = 0;
  auto probe = [&](float& v, double analytic, const std::string& what) {
    const float saved = v;
    v = saved + static_cast<float>(tol.eps);
    const double up = objective();
    v = saved - static_cast<float>(tol.eps);
    const double down = objective();
    v = saved;
    const double numeric = (up - down) / (2 * tol.eps);
    if (!close(analytic, numeric, tol) && failures++ < 5)
      bad << what << ": analytic " << analytic << " numeric " << numeric << "; ";
  };
  for (int64_t i = 0; i < x.size(); ++i) probe(x[i], dx[i], "dx[" + std::to_string(i) + "]");
  size_t k = 0;
  for (const auto& p : layer.params()) {
    if (!p.grad) continue;
    for (int64_t i = 0; i < p.value->size(); ++i)
      probe((*p.value)[i], dparams[k].second[i], p.name + "[" + std::to_string(i) + "]");
    ++k;
  }
  if (failures) return ::testing::AssertionFailure() << failures << " mismatches: " << bad.str();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult check_loss_gradients(nn::Loss& loss, const Tensor& pred0, const Tensor& target,
                                                GradTolerance tol) {
  Tensor pred = pred0;
  loss.forward(pred, target);
  Tensor g = loss.grad();
  std::ostringstream bad;
  int failures = 0;
  for (int64_t i = 0; i < pred.size(); ++i) {
    const float saved = pred[i];
    pred[i] = saved + static_cast<float>(tol.eps);
    const double up = loss.forward(pred, target);
    pred[i] = saved - static_cast<float>(tol.eps);
    const double down = loss.forward(pred, target);
    pred[i] = saved;
    const double numeric = (up - down) / (2 * tol.eps);
    if (!close(g[i], numeric, tol) && failures++ < 5)
      bad << "d[" << i << "]: analytic " << g[i] << " numeric " << numeric << "; ";
  }
  if (failures) return ::testing::AssertionFailure() << failures << " mismatches: " << bad.str();
  return ::testing::AssertionSuccess();
}

}  // namespace aekit::testing
