#include "nn/batch_norm.h"

#include <cmath>

#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::nn {

BatchNorm::BatchNorm(float momentum, float epsilon) : momentum_(momentum), epsilon_(epsilon) {
  require(momentum >= 0 && momentum <= 1, "batch_norm: momentum must be in [0, 1], got " + std::to_string(momentum));
  require(epsilon > 0, "batch_norm: epsilon must be positive, got " + std::to_string(epsilon));
}

LayerPtr BatchNorm::from_config(const nlohmann::json& c) {
  return std::make_unique<BatchNorm>(c.value("momentum", 0.99f), c.value("epsilon", 1e-3f));
}

nlohmann::json BatchNorm::config() const {
  return {{"type", type()}, {"momentum", momentum_}, {"epsilon", epsilon_}};
}

Shape BatchNorm::build(const Shape& in) {
  require(!in.empty() && numel(in) > 0, "batch_norm: empty input shape " + aekit::to_string(in));
  in_shape_ = out_shape_ = in;
  channels_ = in[0];
  spatial_ = numel(in) / channels_;
  gamma_ = Tensor({channels_});
  gamma_.fill(1.0f);
  beta_ = Tensor({channels_});
  running_mean_ = Tensor({channels_});
  running_var_ = Tensor({channels_});
  running_var_.fill(1.0f);
  dgamma_.resize({channels_});
  dbeta_.resize({channels_});
  mean_.resize(channels_);
  inv_std_.resize(channels_);
  return out_shape_;
}

const Tensor& BatchNorm::forward(const Tensor& x, Mode mode) {
  require(x.rank() >= 1 && x.sample_size() == channels_ * spatial_,
          "batch_norm: input has " + std::to_string(x.sample_size()) + " values per sample, layer was built for " +
              aekit::to_string(in_shape_));
  const int64_t batch = x.dim(0), C = channels_, S = spatial_, n = batch * S;
  x_ = &x;
  mode_ = mode;
  if (mode == Mode::train) {
    require(n > 1, "batch_norm: train mode needs more than one value per channel, got a batch of " +
                       std::to_string(batch) + " samples of " + aekit::to_string(in_shape_));
    const float* xd = x.data();
    kernels::parallel_for(C, 1, [&](int64_t c0, int64_t c1, int) {
      for (int64_t c = c0; c < c1; ++c) {
        // Two passes in double: the variance of values far from zero stays accurate.
        double sum = 0;
        for (int64_t b = 0; b < batch; ++b) {
          const float* p = xd + (b * C + c) * S;
          for (int64_t s = 0; s < S; ++s) sum += p[s];
        }
        const double mean = sum / n;
        double sq = 0;
        for (int64_t b = 0; b < batch; ++b) {
          const float* p = xd + (b * C + c) * S;
          for (int64_t s = 0; s < S; ++s) sq += (p[s] - mean) * (p[s] - mean);
        }
        const double var = sq / n;
        mean_[c] = static_cast<float>(mean);
        inv_std_[c] = static_cast<float>(1.0 / std::sqrt(var + epsilon_));
        running_mean_[c] = static_cast<float>(momentum_ * running_mean_[c] + (1.0 - momentum_) * mean);
        running_var_[c] = static_cast<float>(momentum_ * running_var_[c] + (1.0 - momentum_) * sq / (n - 1));
      }
    });
  } else {
    for (int64_t c = 0; c < C; ++c) {
      mean_[c] = running_mean_[c];
      inv_std_[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var_[c]) + epsilon_));
    }
  }
  y_.resize(x.shape());
  kernels::parallel_for(batch, std::max<int64_t>(1, 16384 / (C * S)), [&](int64_t b0, int64_t b1, int) {
    for (int64_t b = b0; b < b1; ++b)
      for (int64_t c = 0; c < C; ++c) {
        const float scale = gamma_[c] * inv_std_[c], shift = beta_[c] - mean_[c] * scale;
        const float* p = x.data() + (b * C + c) * S;
        float* q = y_.data() + (b * C + c) * S;
#pragma omp simd
        for (int64_t s = 0; s < S; ++s) q[s] = p[s] * scale + shift;
      }
  });
  return y_;
}

const Tensor& BatchNorm::backward(const Tensor& dy, bool need_dx) {
  const int64_t batch = dy.dim(0), C = channels_, S = spatial_;
  const double n = static_cast<double>(batch * S);
  const float* xd = x_->data();
  const float* g = dy.data();
  // dbeta = sum dy, dgamma = sum dy * xhat, per channel.
  kernels::parallel_for(C, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      double sg = 0, sgx = 0;
      const float m = mean_[c];
      for (int64_t b = 0; b < batch; ++b) {
        const float* p = xd + (b * C + c) * S;
        const float* d = g + (b * C + c) * S;
        for (int64_t s = 0; s < S; ++s) {
          sg += d[s];
          sgx += d[s] * (p[s] - m);
        }
      }
      dbeta_[c] = static_cast<float>(sg);
      dgamma_[c] = static_cast<float>(sgx * inv_std_[c]);
    }
  });
  if (!need_dx) return empty_;
  dx_.resize(x_->shape());
  const bool train = mode_ == Mode::train;
  kernels::parallel_for(batch, std::max<int64_t>(1, 16384 / (C * S)), [&](int64_t b0, int64_t b1, int) {
    for (int64_t b = b0; b < b1; ++b)
      for (int64_t c = 0; c < C; ++c) {
        const float k = gamma_[c] * inv_std_[c];
        // In train mode mean and variance depend on x too:
        //   dx = k (dy - mean(dy) - xhat mean(dy xhat)),  xhat = (x - mean) inv_std
        const float mdy = train ? static_cast<float>(dbeta_[c] / n) : 0.0f;
        const float mdx = train ? static_cast<float>(dgamma_[c] / n) * inv_std_[c] : 0.0f;
        const float m = mean_[c];
        const float* p = xd + (b * C + c) * S;
        const float* d = g + (b * C + c) * S;
        float* q = dx_.data() + (b * C + c) * S;
#pragma omp simd
        for (int64_t s = 0; s < S; ++s) q[s] = k * (d[s] - mdy - (p[s] - m) * mdx);
      }
  });
  return dx_;
}

std::vector<Param> BatchNorm::params() {
  return {{"weight", &gamma_, &dgamma_},
          {"bias", &beta_, &dbeta_},
          {"running_mean", &running_mean_, nullptr},
          {"running_var", &running_var_, nullptr}};
}

}  // namespace aekit::nn
