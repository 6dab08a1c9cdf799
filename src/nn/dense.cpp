#include "nn/dense.h"

#include <omp.h>

#include <algorithm>

#include "kernels/matmul.h"
#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::nn {

Dense::Dense(int64_t units, Act act, float alpha, bool use_bias)
    : units_(units), act_(act), alpha_(alpha), use_bias_(use_bias) {
  require(units > 0, "dense: units must be positive, got " + std::to_string(units));
}

const config::Schema<Dense::Options>& Dense::schema() {
  static const auto s = config::Schema<Options>("dense")
                            .required("units", &Options::units, config::between(1, 1 << 24))
                            .choice("activation", &Options::activation, act_names())
                            .key("alpha", &Options::alpha, config::at_least(0))
                            .key("use_bias", &Options::use_bias);
  return s;
}

nlohmann::json Dense::config() const { return with_type(type(), schema().write({units_, act_, alpha_, use_bias_})); }

Shape Dense::build(const Shape& in) {
  in_shape_ = in;
  in_ = numel(in);
  require(in_ > 0, "dense: empty input shape " + aekit::to_string(in));
  w_ = Tensor({units_, in_});  // zeros until init()
  dw_.resize({units_, in_});
  if (use_bias_) {
    b_ = Tensor({units_});
    db_.resize({units_});
  }
  out_shape_ = {units_};
  return out_shape_;
}

void Dense::init(Rng& rng, Init scheme) {
  init_weight(w_, in_, units_, scheme, rng);
  if (use_bias_) init_bias(b_, in_, scheme, rng);
}

const Tensor& Dense::forward(const Tensor& x, Mode) {
  const int64_t batch = x.dim(0);
  require(x.sample_size() == in_, "dense: input has " + std::to_string(x.sample_size()) +
                                      " features per sample, layer was built for " +
                                      std::to_string(in_));
  x_ = &x;
  y_.resize({batch, units_});
  kernels::Gemm g;
  g.trans_b = true;
  g.m = batch, g.n = units_, g.k = in_;
  g.bias = use_bias_ ? b_.data() : nullptr;
  g.act = fused(act_);
  g.alpha = alpha_;
  kernels::gemm(g, x.data(), w_.data(), y_.data());
  return y_;
}

const Tensor& Dense::backward(const Tensor& dy, bool need_dx) {
  const int64_t batch = dy.dim(0), n = units_;
  // g = dy * act'(y), and db = column sums of g, in one pass over memory.
  const float* g = dy.data();
  const bool need_g = act_ != Act::linear;
  if (need_g) g_.resize({batch, n});
  const int nt = omp_get_max_threads();
  if (use_bias_) {
    partial_.resize({nt, n});
    partial_.zero();
  }
  with_derivative(act_, alpha_, [&](auto deriv) {
    // Split only past ~64K values per thread: a wake-up (~60 us) costs more than a smaller pass.
    kernels::parallel_for(batch, std::max<int64_t>(16, 65536 / n), [&](int64_t r0, int64_t r1, int t) {
      float* acc = use_bias_ ? partial_.data() + t * n : nullptr;
      for (int64_t r = r0; r < r1; ++r) {
        const float* dyr = dy.data() + r * n;
        const float* yr = y_.data() + r * n;
        float* gr = need_g ? g_.data() + r * n : nullptr;
        if (gr && acc) {
#pragma omp simd
          for (int64_t j = 0; j < n; ++j) acc[j] += gr[j] = dyr[j] * deriv(yr[j]);
        } else if (gr) {
#pragma omp simd
          for (int64_t j = 0; j < n; ++j) gr[j] = dyr[j] * deriv(yr[j]);
        } else if (acc) {
#pragma omp simd
          for (int64_t j = 0; j < n; ++j) acc[j] += dyr[j];
        }
      }
    });
  });
  if (need_g) g = g_.data();
  if (use_bias_) {
    for (int64_t j = 0; j < n; ++j) {
      float s = 0;
      for (int t = 0; t < nt; ++t) s += partial_[t * n + j];
      db_[j] = s;
    }
  }
  // dW[out,in] = g^T[out,B] x[B,in]
  kernels::Gemm gw;
  gw.trans_a = true;
  gw.m = n, gw.n = in_, gw.k = batch;
  kernels::gemm(gw, g, x_->data(), dw_.data());
  if (!need_dx) return empty_;
  // dx[B,in] = g[B,out] W[out,in]
  Shape xs = x_->shape();
  dx_.resize(xs);
  kernels::Gemm gx;
  gx.m = batch, gx.n = in_, gx.k = n;
  kernels::gemm(gx, g, w_.data(), dx_.data());
  return dx_;
}

std::vector<Param> Dense::params() {
  std::vector<Param> p{{"weight", &w_, &dw_}};
  if (use_bias_) p.push_back({"bias", &b_, &db_});
  return p;
}

}  // namespace aekit::nn
