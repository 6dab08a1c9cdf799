#include "models/vae_head.h"

#include <cmath>

#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::models {
namespace {
constexpr float kLogvarMin = -30.0f, kLogvarMax = 20.0f;
}

void VaeHead::build(const Shape& in) {
  require(latent_ > 0, "vae: latent size must be positive");
  mu_.build(in);
  logvar_.build(in);
}

void VaeHead::init(Rng& rng, nn::Init scheme) {
  mu_.init(rng, scheme);
  logvar_.init(rng, scheme);
}

const Tensor& VaeHead::forward(const Tensor& h, nn::Mode mode, bool sample, double* per_sample_kl,
                               const Tensor* noise) {
  mu_out_ = mu_.forward(h, mode);
  logvar_out_ = logvar_.forward(h, mode);
  const int64_t batch = h.dim(0), L = latent_;
  for (float& v : logvar_out_) v = std::min(std::max(v, kLogvarMin), kLogvarMax);
  sampled_ = sample;
  z_.resize({batch, L});
  if (sample && noise) {
    require(noise->size() == batch * L, "vae: noise has " + std::to_string(noise->size()) + " values, need " +
                                            std::to_string(batch * L));
    eps_ = *noise;
  } else if (sample) {
    if (!rng_) throw std::logic_error("vae: sampling needs an Rng (set_rng)");
    eps_.resize({batch, L});
    if (shard_world_ > 1) {
      for (int64_t g = 0; g < shard_rows_; ++g) {
        const bool mine = g % shard_world_ == shard_rank_ && g / shard_world_ < batch;
        float* row = mine ? eps_.data() + (g / shard_world_) * L : nullptr;
        for (int64_t j = 0; j < L; ++j) {
          const float e = rng_->normal();
          if (row) row[j] = e;
        }
      }
    } else {
      for (float& e : eps_) e = rng_->normal();
    }
  }
  double total = 0;
  for (int64_t r = 0; r < batch; ++r) {
    double kl = 0;
    for (int64_t j = 0; j < L; ++j) {
      const int64_t i = r * L + j;
      const float m = mu_out_[i], lv = logvar_out_[i];
      kl += -0.5 * (1.0 + lv - static_cast<double>(m) * m - std::exp(static_cast<double>(lv)));
      z_[i] = sample ? m + std::exp(0.5f * lv) * eps_[i] : m;
    }
    if (per_sample_kl) per_sample_kl[r] = kl;
    total += kl;
  }
  kl_ = total / batch;
  return z_;
}

const Tensor& VaeHead::backward(const Tensor& dz) {
  const int64_t batch = dz.dim(0), L = latent_;
  dmu_.resize({batch, L});
  dlogvar_.resize({batch, L});
  const float kb = static_cast<float>(beta_ / batch);
  for (int64_t i = 0; i < batch * L; ++i) {
    const float m = mu_out_[i], lv = logvar_out_[i];
    const float sd = std::exp(0.5f * lv);
    const bool clamped = lv <= kLogvarMin || lv >= kLogvarMax;
    dmu_[i] = dz[i] + kb * m;
    float dlv = (sampled_ ? dz[i] * eps_[i] * 0.5f * sd : 0.0f) + kb * 0.5f * (sd * sd - 1.0f);
    dlogvar_[i] = clamped ? 0.0f : dlv;
  }
  dh_ = mu_.backward(dmu_, true);
  const Tensor& d2 = logvar_.backward(dlogvar_, true);
  for (int64_t i = 0; i < dh_.size(); ++i) dh_[i] += d2[i];
  return dh_;
}

std::vector<nn::Param> VaeHead::params() {
  std::vector<nn::Param> p;
  for (nn::Param q : mu_.params()) {
    q.name = "mu." + q.name;
    p.push_back(q);
  }
  for (nn::Param q : logvar_.params()) {
    q.name = "logvar." + q.name;
    p.push_back(q);
  }
  return p;
}

}  // namespace aekit::models
