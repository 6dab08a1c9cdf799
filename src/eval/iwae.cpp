#include "eval/iwae.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/error.h"

namespace aekit::eval {

IwaeResult iwae_nll(models::Autoencoder& model, const Tensor& x, int k, uint64_t seed) {
  require(model.is_vae(), "iwae: the model is not a VAE");
  require(k >= 1, "iwae: k must be >= 1");
  const nn::Loss& loss = model.loss();
  require((loss.type() == "bce" || loss.type() == "bce_logits") && loss.reduction() == nn::Reduction::sum &&
              loss.scale() == 1.0,
          "iwae: needs a likelihood loss (bce or bce_logits, reduction sum, scale 1), the model has " +
              loss.config().dump());
  models::VaeHead& head = *model.vae_head();
  const int64_t n = x.dim(0), L = head.latent(), D = x.sample_size();
  const int64_t chunk = std::min<int64_t>(k, 1000);        // samples per input per block
  const int64_t per_block = std::max<int64_t>(1, 1000 / chunk);  // inputs per block
  const double log2pi = std::log(2.0 * M_PI);
  Rng rng(seed);
  Tensor xb, z, xrep;
  std::vector<double> logw, recon;
  double total = 0;
  for (int64_t b0 = 0; b0 < n; b0 += per_block) {
    const int64_t nb = std::min(n, b0 + per_block) - b0;
    xb.resize({nb, D});
    std::memcpy(xb.data(), x.data() + b0 * D, nb * D * sizeof(float));
    head.forward(model.encoder().forward(xb, nn::Mode::eval), nn::Mode::eval, false);
    const Tensor mu = head.mu(), logvar = head.logvar();
    logw.assign(nb * k, 0.0);
    for (int64_t s0 = 0; s0 < k; s0 += chunk) {
      const int64_t ns = std::min<int64_t>(k, s0 + chunk) - s0, rows = nb * ns;
      z.resize({rows, L});
      xrep.resize({rows, D});
      std::vector<double> log_q_minus_p(rows);
      for (int64_t i = 0; i < nb; ++i)
        for (int64_t s = 0; s < ns; ++s) {
          const int64_t r = i * ns + s;
          std::memcpy(xrep.data() + r * D, xb.data() + i * D, D * sizeof(float));
          double lq = 0, lp = 0;
          for (int64_t j = 0; j < L; ++j) {
            const float m = mu[i * L + j], lv = logvar[i * L + j], e = rng.normal();
            const float zz = m + std::exp(0.5f * lv) * e;
            z[r * L + j] = zz;
            lq += -0.5 * (static_cast<double>(e) * e + lv + log2pi);
            lp += -0.5 * (static_cast<double>(zz) * zz + log2pi);
          }
          log_q_minus_p[r] = lq - lp;
        }
      recon.resize(rows);
      loss.per_sample(model.decoder().forward(z, nn::Mode::eval), xrep, recon.data());
      for (int64_t i = 0; i < nb; ++i)
        for (int64_t s = 0; s < ns; ++s) logw[i * k + s0 + s] = -recon[i * ns + s] - log_q_minus_p[i * ns + s];
    }
    for (int64_t i = 0; i < nb; ++i) {
      const double* w = logw.data() + i * k;
      const double m = *std::max_element(w, w + k);
      double s = 0;
      for (int j = 0; j < k; ++j) s += std::exp(w[j] - m);
      total += -(m + std::log(s) - std::log(static_cast<double>(k)));
    }
  }
  return {total / n, k, n};
}

}  // namespace aekit::eval
