#include "nn/bidirectional.h"

#include <cstring>

#include "tensor/error.h"

namespace aekit::nn {

Bidirectional::Merge Bidirectional::parse_merge(const std::string& s) {
  if (s == "sum") return Merge::sum;
  if (s == "concat") return Merge::concat;
  throw InputError("bidirectional: unknown merge '" + s + "' (expected sum or concat)");
}

Bidirectional::Bidirectional(Merge merge, int64_t units, bool return_sequences)
    : merge_(merge), fwd_(units, return_sequences, false), bwd_(units, return_sequences, true) {}

LayerPtr Bidirectional::from_config(const nlohmann::json& c) {
  require(c.contains("layer") && c["layer"].is_object() && c["layer"].value("type", "") == "lstm",
          "needs a \"layer\" object of type \"lstm\"");
  const nlohmann::json& l = c["layer"];
  require(l.contains("units") && l["units"].is_number_integer(), "layer needs an integer \"units\"");
  return std::make_unique<Bidirectional>(parse_merge(c.value("merge", "concat")),
                                         l["units"].get<int64_t>(), l.value("return_sequences", false));
}

nlohmann::json Bidirectional::config() const {
  return {{"type", "bidirectional"},
          {"merge", merge_ == Merge::sum ? "sum" : "concat"},
          {"layer", fwd_.config()}};
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
