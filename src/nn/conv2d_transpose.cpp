#include "nn/conv2d_transpose.h"

#include "tensor/error.h"

namespace aekit::nn {
namespace {

// Output length on one axis and the rows cropped from the full output before/after it
// (negative after: zero rows appended).
Window transposed_axis(int64_t in, int64_t k, int64_t s, bool same, std::optional<int64_t> op) {
  const int64_t out = op ? (in - 1) * s + k - 2 * (same ? k / 2 : 0) + *op
                         : (same ? in * s : in * s + std::max<int64_t>(k - s, 0));
  const int64_t full = (in - 1) * s + k;
  const int64_t before = same ? std::max<int64_t>(full - out, 0) / 2 : 0;
  return {out, before, full - out - before};
}

}  // namespace

Conv2DTranspose::Conv2DTranspose(int64_t filters, HW kernel, HW stride, Padding padding,
                                 std::optional<HW> output_padding, Act act, float alpha, bool use_bias)
    : ConvLayer(filters, kernel, stride, act, alpha, use_bias), padding_(padding), output_padding_(output_padding) {
  require(padding.kind != Padding::Kind::amount, "conv2d_transpose: padding must be \"same\" or \"valid\"");
  if (output_padding)
    require(output_padding->h >= 0 && output_padding->w >= 0 && output_padding->h < stride.h &&
                output_padding->w < stride.w,
            "conv2d_transpose: output_padding " + hw_json(*output_padding).dump() +
                " must be non-negative and smaller than the stride " + hw_json(stride).dump());
}

const config::Schema<Conv2DTranspose::Options>& Conv2DTranspose::schema() {
  static const auto s = conv_keys<Options>("conv2d_transpose")
                            .key("output_padding", &Options::output_padding, config::between(0, 1023))
                            .finally([](Options& o, const std::string& path) {
                              refuse_padding_amount(o.padding, config::join(path, "padding"));
                            });
  return s;
}

nlohmann::json Conv2DTranspose::config() const {
  return with_type(type(),
                   schema().write({filters_, kernel_, stride_, padding_, output_padding_, act_, alpha_, use_bias_}));
}

Shape Conv2DTranspose::build(const Shape& in) {
  in_shape_ = require_chw("conv2d_transpose", in);
  const int64_t c = in[0], h = in[1], w = in[2];
  const bool same = padding_.kind == Padding::Kind::same;
  auto op = [&](bool rows) -> std::optional<int64_t> {
    if (!output_padding_) return std::nullopt;
    return rows ? output_padding_->h : output_padding_->w;
  };
  const Window wh = transposed_axis(h, kernel_.h, stride_.h, same, op(true));
  const Window ww = transposed_axis(w, kernel_.w, stride_.w, same, op(false));
  require(wh.out > 0 && ww.out > 0, "conv2d_transpose: input " + std::to_string(h) + "x" + std::to_string(w) +
                                        " gives an empty output with kernel " + hw_json(kernel_).dump() +
                                        " and padding " + padding_.describe());
  kernels::ConvSpec s;
  s.transposed = true;
  s.c = c, s.f = filters_, s.h = h, s.w = w;
  s.kh = kernel_.h, s.kw = kernel_.w, s.sh = stride_.h, s.sw = stride_.w;
  s.pt = wh.before, s.pb = wh.after, s.pl = ww.before, s.pr = ww.after;
  const int64_t k = kernel_.h * kernel_.w;
  // PyTorch's fan_in for ConvTranspose2d.weight [C, F, kh, kw] is F * kh * kw.
  setup(s, {c, filters_, kernel_.h, kernel_.w}, filters_ * k, c * k);
  return out_shape_;
}

double Conv2DTranspose::flops_per_sample() const {
  return 2.0 * in_shape_[1] * in_shape_[2] * in_shape_[0] * filters_ * kernel_.h * kernel_.w;
}

}  // namespace aekit::nn
