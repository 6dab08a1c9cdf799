#include "nn/bidirectional.h"

#include <cstring>

#include "tensor/error.h"

namespace aekit::nn {

Bidirectional::Bidirectional(Merge merge, int64_t units, bool return_sequences)
    : merge_(merge), fwd_(units, return_sequences, false), bwd_(units, return_sequences, true) {}

const config::Schema<Bidirectional::Options>& Bidirectional::schema() {
  static const auto s = config::Schema<Options>("bidirectional")
                            .choice("merge", &Options::merge, {{"concat", Merge::concat}, {"sum", Merge::sum}})
                            .object("layer", &Options::layer, &Lstm::schema)
                            .finally([](Options& o, const std::string& path) {
                              if (o.layer.units <= 0) config::fail(path, "needs a \"layer\": {\"type\": \"lstm\", \"units\": N}");
                            });
  return s;
}

nlohmann::json Bidirectional::config() const {
  return with_type(type(), schema().write({merge_, {"lstm", fwd_.units(), fwd_.return_sequences()}}));
}

Shape Bidirectional::build(const Shape& in) {
  in_shape_ = in;
  out_shape_ = fwd_.build(in);
  bwd_.build(in);
  if (merge_ == Merge::concat) out_shape_.back() *= 2;
  return out_shape_;
}

void Bidirectional::init(Rng& rng, Init scheme) {
  fwd_.init(rng, scheme);
  bwd_.init(rng, scheme);
}

const Tensor& Bidirectional::forward(const Tensor& x, Mode mode) {
  const Tensor& a = fwd_.forward(x, mode);
  const Tensor& b = bwd_.forward(x, mode);
  if (merge_ == Merge::sum) {
    y_.resize(a.shape());
#pragma omp simd
    for (int64_t i = 0; i < a.size(); ++i) y_[i] = a[i] + b[i];
    return y_;
  }
  // concat: every output row (one per sample, or per sample and step) is [a_row, b_row].
  const int64_t H = fwd_.units(), rows = a.size() / H;
  Shape s = a.shape();
  s.back() = 2 * H;
  y_.resize(s);
  for (int64_t r = 0; r < rows; ++r) {
    std::memcpy(y_.data() + 2 * r * H, a.data() + r * H, H * sizeof(float));
    std::memcpy(y_.data() + (2 * r + 1) * H, b.data() + r * H, H * sizeof(float));
  }
  return y_;
}

const Tensor& Bidirectional::backward(const Tensor& dy, bool need_dx) {
  const Tensor* dyf = &dy;
  const Tensor* dyb = &dy;  // sum: both directions receive dy unchanged
  if (merge_ == Merge::concat) {
    const int64_t H = fwd_.units(), rows = dy.size() / (2 * H);
    Shape s = dy.shape();
    s.back() = H;
    dy_fwd_.resize(s);
    dy_bwd_.resize(s);
    for (int64_t r = 0; r < rows; ++r) {
      std::memcpy(dy_fwd_.data() + r * H, dy.data() + 2 * r * H, H * sizeof(float));
      std::memcpy(dy_bwd_.data() + r * H, dy.data() + (2 * r + 1) * H, H * sizeof(float));
    }
    dyf = &dy_fwd_;
    dyb = &dy_bwd_;
  }
  const Tensor& a = fwd_.backward(*dyf, need_dx);
  const Tensor& b = bwd_.backward(*dyb, need_dx);
  if (!need_dx) return empty_;
  dx_.resize(a.shape());
#pragma omp simd
  for (int64_t i = 0; i < a.size(); ++i) dx_[i] = a[i] + b[i];
  return dx_;
}

std::vector<Param> Bidirectional::params() {
  std::vector<Param> p = fwd_.params();
  for (Param q : bwd_.params()) {
    q.name += "_reverse";
    p.push_back(q);
  }
  return p;
}

}  // namespace aekit::nn
