#include "nn/conv2d.h"

#include <algorithm>

#include "kernels/parallel.h"
#include "tensor/error.h"

namespace aekit::nn {

std::string Padding::describe() const {
  return kind == Kind::same ? "same" : kind == Kind::valid ? "valid" : std::to_string(amount);
}

nlohmann::json Padding::to_json() const {
  if (kind == Kind::amount) return amount;
  return describe();
}

Window window(int64_t in, int64_t k, int64_t s, const Padding& p) {
  switch (p.kind) {
    case Padding::Kind::same: {
      const int64_t out = (in + s - 1) / s;
      const int64_t total = std::max<int64_t>((out - 1) * s + k - in, 0);
      return {out, total / 2, total - total / 2};
    }
    case Padding::Kind::valid: return {(in - k) / s + 1, 0, 0};
    case Padding::Kind::amount: return {(in + 2 * p.amount - k) / s + 1, p.amount, p.amount};
  }
  return {};
}

nlohmann::json hw_json(const HW& v) {
  if (v.h == v.w) return v.h;
  return nlohmann::json::array({v.h, v.w});
}

Padding parse_padding(const nlohmann::json& c, bool allow_amount) {
  if (!c.contains("padding")) return {};
  Padding p = config::Codec<Padding>::read(c["padding"], "padding", {});
  if (!allow_amount) refuse_padding_amount(p, "padding");
  return p;
}

void refuse_padding_amount(const Padding& p, const std::string& path) {
  if (p.kind == Padding::Kind::amount) config::fail(path, "must be \"same\" or \"valid\"");
}

}  // namespace aekit::nn

namespace aekit::config {

nn::HW Codec<nn::HW>::read(const nlohmann::json& v, const std::string& path, const Range& range) {
  nn::HW r;
  if (v.is_array()) {
    if (v.size() != 2) fail(path, "expected k or [h, w], got " + describe_json(v));
    r.h = Codec<int64_t>::read(v[0], index(path, 0), range);
    r.w = Codec<int64_t>::read(v[1], index(path, 1), range);
  } else {
    r.h = r.w = Codec<int64_t>::read(v, path, range);
  }
  return r;
}

nn::Padding Codec<nn::Padding>::read(const nlohmann::json& v, const std::string& path, const Range&) {
  nn::Padding p;
  if (v == "same") {
    p.kind = nn::Padding::Kind::same;
  } else if (v == "valid") {
    p.kind = nn::Padding::Kind::valid;
  } else if (v.is_number()) {
    p.kind = nn::Padding::Kind::amount;
    p.amount = Codec<int64_t>::read(v, path, at_least(0));
  } else {
    fail(path, "expected \"same\", \"valid\" or an integer >= 0, got " + describe_json(v));
  }
  return p;
}

}  // namespace aekit::config

namespace aekit::nn {

Shape require_chw(const std::string& layer, const Shape& in) {
  require(in.size() == 3 && numel(in) > 0,
          layer + ": expects a [channels, height, width] input, got " + aekit::to_string(in) +
              " (add a reshape layer before it)");
  return in;
}

namespace {

// g = dy * act'(y), act' from the output. relu and leaky_relu get their own loop: GCC 12 does
// not vectorise dy * (y > 0 ? 1.0f : 0.0f) or y > 0 ? dy : slope * dy ("control flow in
// loop"), but does this form, and these loops run over the largest tensors of a conv net.
void select_grad(const float* __restrict y, const float* __restrict dy, float* __restrict g, float slope, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float k = y[i] > 0 ? 1.0f : slope;
    g[i] = k * dy[i];
  }
}

void output_grad(Act a, float alpha, const float* y, const float* dy, float* g, int64_t n) {
  if (a != Act::relu && a != Act::leaky_relu) return act_backward(a, alpha, y, dy, g, n);
  const float slope = a == Act::relu ? 0.0f : alpha;
  kernels::parallel_for(n, 16384, [&](int64_t b, int64_t e, int) { select_grad(y + b, dy + b, g + b, slope, e - b); });
}

}  // namespace

// ---------------------------------------------------------------- ConvLayer

ConvLayer::ConvLayer(int64_t filters, HW kernel, HW stride, Act act, float alpha, bool use_bias)
    : filters_(filters), kernel_(kernel), stride_(stride), act_(act), alpha_(alpha), use_bias_(use_bias) {
  require(filters > 0, "filters must be positive, got " + std::to_string(filters));
  require(kernel.h > 0 && kernel.w > 0 && stride.h > 0 && stride.w > 0, "kernel and stride must be positive");
}

void ConvLayer::setup(const kernels::ConvSpec& spec, const Shape& w_shape, int64_t fan_in, int64_t fan_out) {
  kernels::ConvSpec s = spec;
  s.bias = use_bias_;
  s.act = fused(act_);
  s.alpha = alpha_;
  spec_ = s;
  conv_ = std::make_unique<kernels::Conv>(s);
  fan_in_ = fan_in;
  fan_out_ = fan_out;
  w_.resize(w_shape);
  dw_.resize(w_shape);
  if (use_bias_) {
    b_ = Tensor({filters_});
    db_.resize({filters_});
  }
  out_shape_ = {filters_, s.out_h(), s.out_w()};
}

void ConvLayer::set_blocked(bool in, bool out) {
  if (in == spec_.blocked_x && out == spec_.blocked_y) return;
  spec_.blocked_x = in, spec_.blocked_y = out;
  spec_.bf16_x = spec_.bf16_x && in, spec_.bf16_y = spec_.bf16_y && out;
  conv_ = std::make_unique<kernels::Conv>(spec_);  // plans are made on first use: nothing lost
}

void ConvLayer::set_bf16(bool in, bool out) {
  if (in == spec_.bf16_x && out == spec_.bf16_y) return;
  spec_.bf16_x = in, spec_.bf16_y = out;
  conv_ = std::make_unique<kernels::Conv>(spec_);
}


void ConvLayer::init(Rng& rng, Init scheme) {
  init_weight(w_, fan_in_, fan_out_, scheme, rng);
  if (use_bias_) init_bias(b_, fan_in_, scheme, rng);
}

const Tensor& ConvLayer::forward(const Tensor& x, Mode) {
  require(x.rank() >= 1 && x.sample_size() == numel(in_shape_),
          type() + ": input has " + std::to_string(x.sample_size()) + " values per sample, layer was built for " +
              aekit::to_string(in_shape_));
  const int64_t batch = x.dim(0);
  x_ = &x;
  y_.resize({batch, out_shape_[0], out_shape_[1], out_shape_[2]});
  conv_->forward(batch, x.data(), w_.data(), use_bias_ ? b_.data() : nullptr, y_.data());
  return y_;
}

const Tensor& ConvLayer::backward(const Tensor& dy, bool need_dx) {
  kernels::OutputGrad g{dy.data(), nullptr};
  // The kernel asks for g = dy * act'(y) where it wants it (per sample, while in cache).
  // dy already is dL/d(pre-activation) when the next layer applied the derivative (fusable.h).
  if (act_ != Act::linear && !defer_act_grad_)
    g.make = [&](int64_t begin, int64_t n, float* out) {
      output_grad(act_, alpha_, y_.data() + begin, dy.data() + begin, out, n);
    };
  if (const float slope = relu_slope(); slope >= 0 && !defer_act_grad_) g.y = y_.data(), g.slope = slope;
  if (need_dx) dx_.resize(x_->shape());
  conv_->backward(g, w_.data(), dw_.data(), use_bias_ ? db_.data() : nullptr, need_dx ? dx_.data() : nullptr);
  return need_dx ? dx_ : empty_;
}

std::vector<Param> ConvLayer::params() {
  std::vector<Param> p{{"weight", &w_, &dw_}};
  if (use_bias_) p.push_back({"bias", &b_, &db_});
  return p;
}

// ---------------------------------------------------------------- Conv2D

Conv2D::Conv2D(int64_t filters, HW kernel, HW stride, Padding padding, Act act, float alpha, bool use_bias)
    : ConvLayer(filters, kernel, stride, act, alpha, use_bias), padding_(padding) {}

const config::Schema<Conv2D::Options>& Conv2D::schema() {
  static const auto s = conv_keys<Options>("conv2d");
  return s;
}

nlohmann::json Conv2D::config() const {
  return with_type(type(), schema().write({filters_, kernel_, stride_, padding_, act_, alpha_, use_bias_}));
}

Shape Conv2D::build(const Shape& in) {
  in_shape_ = require_chw("conv2d", in);
  const int64_t c = in[0], h = in[1], w = in[2];
  const int64_t pad = padding_.kind == Padding::Kind::amount ? 2 * padding_.amount : 0;
  // "same" always fits (it pads as much as the kernel needs); the others must.
  require(padding_.kind == Padding::Kind::same || (h + pad >= kernel_.h && w + pad >= kernel_.w),
          "conv2d: kernel " + std::to_string(kernel_.h) + "x" + std::to_string(kernel_.w) + " larger than input " +
              std::to_string(h) + "x" + std::to_string(w) + " with padding " + padding_.describe());
  const Window wh = window(h, kernel_.h, stride_.h, padding_), ww = window(w, kernel_.w, stride_.w, padding_);
  kernels::ConvSpec s;
  s.c = c, s.f = filters_, s.h = h, s.w = w;
  s.kh = kernel_.h, s.kw = kernel_.w, s.sh = stride_.h, s.sw = stride_.w;
  s.pt = wh.before, s.pb = wh.after, s.pl = ww.before, s.pr = ww.after;
  const int64_t k = kernel_.h * kernel_.w;
  setup(s, {filters_, c, kernel_.h, kernel_.w}, c * k, filters_ * k);
  return out_shape_;
}

double Conv2D::flops_per_sample() const {
  return 2.0 * out_shape_[1] * out_shape_[2] * filters_ * in_shape_[0] * kernel_.h * kernel_.w;
}

}  // namespace aekit::nn
