#include "nn/batch_norm.h"

#include <algorithm>
#include <cmath>

#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::nn {
namespace {
// Values per thread before a loop is split: these passes stream memory at a few GB/s, and
// waking a sleeping (OMP_WAIT_POLICY=PASSIVE) thread costs ~60 us, i.e. ~64K values' work.
constexpr int64_t kGrain = 65536;
}  // namespace

BatchNorm::BatchNorm(float momentum, float epsilon) : momentum_(momentum), epsilon_(epsilon) {
  require(momentum >= 0 && momentum <= 1, "batch_norm: momentum must be in [0, 1], got " + std::to_string(momentum));
  require(epsilon > 0, "batch_norm: epsilon must be positive, got " + std::to_string(epsilon));
}

const config::Schema<BatchNorm::Options>& BatchNorm::schema() {
  static const auto s = config::Schema<Options>("batch_norm")
                            .key("momentum", &Options::momentum, config::between(0, 1))
                            .key("epsilon", &Options::epsilon, config::above(0));
  return s;
}

nlohmann::json BatchNorm::config() const { return with_type(type(), schema().write({momentum_, epsilon_})); }

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
  acc_.resize(2 * channels_);
  scale_.resize(channels_);
  shift_.resize(channels_);
  mdx_.resize(channels_);
  return out_shape_;
}

void BatchNorm::set_stats(int64_t c, double mean, double sq, int64_t n) {
  const double var = sq / n;
  mean_[c] = static_cast<float>(mean);
  inv_std_[c] = static_cast<float>(1.0 / std::sqrt(var + epsilon_));
  running_mean_[c] = static_cast<float>(momentum_ * running_mean_[c] + (1.0 - momentum_) * mean);
  running_var_[c] = static_cast<float>(momentum_ * running_var_[c] + (1.0 - momentum_) * sq / (n - 1));
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
    if (S == 1) {
      // Dense features ([B, F]): walk the rows and accumulate every feature at once, so the
      // loads are contiguous and vectorise (a per-feature walk reads one float per cache line).
      // Two passes in double: the variance of values far from zero stays accurate.
      kernels::parallel_for(C, std::max<int64_t>(64, kGrain / batch), [&](int64_t c0, int64_t c1, int) {
        double* sum = acc_.data() + c0;
        double* sq = acc_.data() + C + c0;
        const int64_t w = c1 - c0;
        for (int64_t c = 0; c < w; ++c) sum[c] = sq[c] = 0;
        for (int64_t b = 0; b < batch; ++b) {
          const float* p = xd + b * C + c0;
#pragma omp simd
          for (int64_t c = 0; c < w; ++c) sum[c] += p[c];
        }
        for (int64_t c = 0; c < w; ++c) sum[c] /= n;
        for (int64_t b = 0; b < batch; ++b) {
          const float* p = xd + b * C + c0;
#pragma omp simd
          for (int64_t c = 0; c < w; ++c) sq[c] += (p[c] - sum[c]) * (p[c] - sum[c]);
        }
        for (int64_t c = c0; c < c1; ++c) set_stats(c, acc_[c], acc_[C + c], n);
      });
    } else {
      kernels::parallel_for(C, 1, [&](int64_t c0, int64_t c1, int) {
        for (int64_t c = c0; c < c1; ++c) {
          double sum = 0;
          for (int64_t b = 0; b < batch; ++b) {
            const float* p = xd + (b * C + c) * S;
#pragma omp simd reduction(+ : sum)
            for (int64_t s = 0; s < S; ++s) sum += p[s];
          }
          const double mean = sum / n;
          double sq = 0;
          for (int64_t b = 0; b < batch; ++b) {
            const float* p = xd + (b * C + c) * S;
#pragma omp simd reduction(+ : sq)
            for (int64_t s = 0; s < S; ++s) sq += (p[s] - mean) * (p[s] - mean);
          }
          set_stats(c, mean, sq, n);
        }
      });
    }
  } else {
    for (int64_t c = 0; c < C; ++c) {
      mean_[c] = running_mean_[c];
      inv_std_[c] = running_inv_std(c);
    }
  }
  for (int64_t c = 0; c < C; ++c) {
    scale_[c] = gamma_[c] * inv_std_[c];
    shift_[c] = beta_[c] - mean_[c] * scale_[c];
  }
  y_.resize(x.shape());
  const float *sc = scale_.data(), *sh = shift_.data();
  kernels::parallel_for(batch, std::max<int64_t>(1, kGrain / (C * S)), [&](int64_t b0, int64_t b1, int) {
    for (int64_t b = b0; b < b1; ++b) {
      if (S == 1) {
        const float* p = x.data() + b * C;
        float* q = y_.data() + b * C;
#pragma omp simd
        for (int64_t c = 0; c < C; ++c) q[c] = p[c] * sc[c] + sh[c];
        continue;
      }
      for (int64_t c = 0; c < C; ++c) {
        const float* p = x.data() + (b * C + c) * S;
        float* q = y_.data() + (b * C + c) * S;
#pragma omp simd
        for (int64_t s = 0; s < S; ++s) q[s] = p[s] * sc[c] + sh[c];
      }
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
  if (S == 1) {
    // [B, F]: row walk, all features at once (see forward).
    kernels::parallel_for(C, std::max<int64_t>(64, kGrain / batch), [&](int64_t c0, int64_t c1, int) {
      double* sg = acc_.data() + c0;
      double* sgx = acc_.data() + C + c0;
      const float* m = mean_.data() + c0;
      const int64_t w = c1 - c0;
      for (int64_t c = 0; c < w; ++c) sg[c] = sgx[c] = 0;
      for (int64_t b = 0; b < batch; ++b) {
        const float* p = xd + b * C + c0;
        const float* d = g + b * C + c0;
#pragma omp simd
        for (int64_t c = 0; c < w; ++c) {
          sg[c] += d[c];
          sgx[c] += d[c] * (p[c] - m[c]);
        }
      }
      for (int64_t c = c0; c < c1; ++c) {
        dbeta_[c] = static_cast<float>(acc_[c]);
        dgamma_[c] = static_cast<float>(acc_[C + c] * inv_std_[c]);
      }
    });
  } else {
    kernels::parallel_for(C, 1, [&](int64_t c0, int64_t c1, int) {
      for (int64_t c = c0; c < c1; ++c) {
        double sg = 0, sgx = 0;
        const float m = mean_[c];
        for (int64_t b = 0; b < batch; ++b) {
          const float* p = xd + (b * C + c) * S;
          const float* d = g + (b * C + c) * S;
#pragma omp simd reduction(+ : sg, sgx)
          for (int64_t s = 0; s < S; ++s) {
            sg += d[s];
            sgx += d[s] * (p[s] - m);
          }
        }
        dbeta_[c] = static_cast<float>(sg);
        dgamma_[c] = static_cast<float>(sgx * inv_std_[c]);
      }
    });
  }
  if (!need_dx) return empty_;
  dx_.resize(x_->shape());
  const bool train = mode_ == Mode::train;
  // In train mode mean and variance depend on x too:
  //   dx = k (dy - mean(dy) - xhat mean(dy xhat)),  xhat = (x - mean) inv_std,  k = gamma inv_std
  // Per channel: k in scale_, mean(dy) in shift_, mean(dy xhat) inv_std in mdx_.
  for (int64_t c = 0; c < C; ++c) {
    scale_[c] = gamma_[c] * inv_std_[c];
    shift_[c] = train ? static_cast<float>(dbeta_[c] / n) : 0.0f;
    mdx_[c] = train ? static_cast<float>(dgamma_[c] / n) * inv_std_[c] : 0.0f;
  }
  const float *k = scale_.data(), *mdy = shift_.data(), *mdx = mdx_.data(), *m = mean_.data();
  kernels::parallel_for(batch, std::max<int64_t>(1, kGrain / (C * S)), [&](int64_t b0, int64_t b1, int) {
    for (int64_t b = b0; b < b1; ++b) {
      if (S == 1) {
        const float* p = xd + b * C;
        const float* d = g + b * C;
        float* q = dx_.data() + b * C;
#pragma omp simd
        for (int64_t c = 0; c < C; ++c) q[c] = k[c] * (d[c] - mdy[c] - (p[c] - m[c]) * mdx[c]);
        continue;
      }
      for (int64_t c = 0; c < C; ++c) {
        const float* p = xd + (b * C + c) * S;
        const float* d = g + (b * C + c) * S;
        float* q = dx_.data() + (b * C + c) * S;
#pragma omp simd
        for (int64_t s = 0; s < S; ++s) q[s] = k[c] * (d[s] - mdy[c] - (p[s] - m[c]) * mdx[c]);
      }
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

float BatchNorm::running_inv_std(int64_t c) const {
  return static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var_[c]) + epsilon_));
}

void BatchNorm::eval_affine(std::vector<float>& scale, std::vector<float>& shift) const {
  scale.resize(channels_);
  shift.resize(channels_);
  for (int64_t c = 0; c < channels_; ++c) {
    scale[c] = gamma_[c] * running_inv_std(c);
    shift[c] = beta_[c] - running_mean_[c] * scale[c];
  }
}

}  // namespace aekit::nn
