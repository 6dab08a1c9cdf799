// conv2d: 2-D convolution with an optional fused activation (Keras Conv2D, PyTorch Conv2d).
//   {"type":"conv2d","filters":F,"kernel":k|[kh,kw],"stride":s|[sh,sw] (1),
//    "padding":"same"|"valid"|p ("valid"),"activation":"relu"... ("linear"),"use_bias":true}
//   x: [B, C, H, W] (NCHW, as PyTorch),  y = act(conv(x, weight) + bias): [B, F, OH, OW]
//   weight: [F, C, kh, kw], bias: [F], laid out as PyTorch's Conv2d, so they load into torch.
// Padding, per axis (Keras semantics):
//   "same":  OH = ceil(H / sh); total = max((OH - 1) sh + kh - H, 0) zero rows, total / 2 on top
//            and the extra one at the bottom (PyTorch's padding='same' puts it on top instead)
//   "valid": no padding, OH = (H - kh) / sh + 1; a kernel larger than the input is an error
//   p:       p zero rows on each side (PyTorch's padding=p)
// Forward is one oneDNN convolution with bias and activation fused (kernels/conv.h). Backward
// takes the activation derivative from the output y (activation.h), then the weight/bias
// gradients and, only when need_dx, the data gradient (the first layer needs none).
//
// This header also holds what the 2-D layers share: window geometry ("same"/"valid"/explicit
// padding, kernel/stride pairs from JSON) and ConvLayer, the machinery common to conv2d and
// conv2d_transpose (weights, fused activation, kernel calls).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kernels/conv.h"
#include "nn/activation.h"
#include "nn/layer.h"

namespace aekit::nn {

struct HW {
  int64_t h = 1, w = 1;
  bool operator==(const HW&) const = default;
};

// "same", "valid", or an explicit symmetric amount.
struct Padding {
  enum class Kind { same, valid, amount } kind = Kind::valid;
  int64_t amount = 0;
  std::string describe() const;  // "same", "valid", "1"
  nlohmann::json to_json() const;
};

// Where a window of size k, stride s, lands on an axis of length `in`: output length and the
// padding before/after. The caller has checked that in + padding >= k.
struct Window {
  int64_t out, before, after;
};
Window window(int64_t in, int64_t k, int64_t s, const Padding& p);

nlohmann::json hw_json(const HW& v);  // k for square, [h, w] otherwise
// c["padding"] ("same", "valid" or, with allow_amount, an integer >= 0); valid when absent.
Padding parse_padding(const nlohmann::json& c, bool allow_amount);
// For layers that take "same" or "valid" only (transposed convs, pooling): InputError at `path`.
void refuse_padding_amount(const Padding& p, const std::string& path);
}  // namespace aekit::nn

// Config codecs (config/codec.h): a size is k (square) or [h, w], each within the key's range; a
// padding is "same", "valid" or an integer >= 0 (layers that take no amount refuse it).
namespace aekit::config {
template <>
struct Codec<nn::HW> {
  static std::string type_name() { return "k or [h, w]"; }
  static nn::HW read(const nlohmann::json& v, const std::string& path, const Range& range);
  static nlohmann::json write(const nn::HW& hw) { return nn::hw_json(hw); }
};
template <>
struct Codec<nn::Padding> {
  static std::string type_name() { return "\"same\", \"valid\" or an integer"; }
  static nn::Padding read(const nlohmann::json& v, const std::string& path, const Range& range);
  static nlohmann::json write(const nn::Padding& p) { return p.to_json(); }
};
}  // namespace aekit::config

namespace aekit::nn {

// Checks a layer's input is [C, H, W] and returns it; names the layer in the error.
Shape require_chw(const std::string& layer, const Shape& in);

// Shared by conv2d and conv2d_transpose: the derived class's build() calls setup().
class ConvLayer : public Layer, public Fusable {
 public:
  Fusable* as_fusable() override { return this; }
  ConvLayer(int64_t filters, HW kernel, HW stride, Act act, float alpha, bool use_bias);
  void init(Rng& rng, Init scheme) override;
  const Tensor& forward(const Tensor& x, Mode mode) override;
  const Tensor& backward(const Tensor& dy, bool need_dx) override;
  std::vector<Param> params() override;
  bool takes_blocked() const override { return conv_ && conv_->takes_blocked(); }
  bool gives_blocked() const override { return conv_ && conv_->gives_blocked(); }
  void set_blocked(bool in, bool out) override;
  // bf16 output only when dy needs no activation derivative here (none, or handed on).
  bool takes_bf16() const override { return conv_ && conv_->takes_bf16(); }
  bool gives_bf16() const override { return conv_ && conv_->gives_bf16() && (act_ == Act::linear || defer_act_grad_); }
  void set_bf16(bool in, bool out) override;
  float relu_slope() const override { return act_ == Act::relu ? 0.0f : act_ == Act::leaky_relu ? alpha_ : -1.0f; }
  void defer_act_grad(bool on) override { defer_act_grad_ = on; }

  Tensor& weight() { return w_; }
  Tensor& bias() { return b_; }

 protected:
  // Creates the parameters (weight shape as PyTorch lays it out) and the kernel.
  void setup(const kernels::ConvSpec& spec, const Shape& w_shape, int64_t fan_in, int64_t fan_out);

  int64_t filters_;
  HW kernel_, stride_;
  Act act_;
  float alpha_;
  bool use_bias_;

 private:
  int64_t fan_in_ = 0, fan_out_ = 0;
  kernels::ConvSpec spec_;
  std::unique_ptr<kernels::Conv> conv_;
  bool defer_act_grad_ = false;  // the next layer applies the activation's derivative
  Tensor w_, b_, dw_, db_;
  const Tensor* x_ = nullptr;
  Tensor y_, dx_;
};

// The keys conv2d and conv2d_transpose share, declared once for both (their Options hold these
// members): filters, kernel, stride, padding, activation, alpha, use_bias.
template <class O>
config::Schema<O> conv_keys(const std::string& type) {
  return config::Schema<O>(type)
      .required("filters", &O::filters, config::between(1, 1 << 16))
      .required("kernel", &O::kernel, config::between(1, 1024))
      .key("stride", &O::stride, config::between(1, 1024))
      .key("padding", &O::padding)
      .choice("activation", &O::activation, act_names())
      .key("alpha", &O::alpha, config::at_least(0))
      .key("use_bias", &O::use_bias);
}

class Conv2D : public ConvLayer {
 public:
  Conv2D(int64_t filters, HW kernel, HW stride = {}, Padding padding = {}, Act act = Act::linear,
         float alpha = 0.3f, bool use_bias = true);
  // {"type": "conv2d", "filters": F, "kernel": k | [kh, kw], "stride": 1, "padding": "valid",
  //  "activation": "linear", "alpha": 0.3, "use_bias": true}
  struct Options {
    int64_t filters = 0;
    HW kernel{0, 0}, stride{1, 1};
    Padding padding;
    Act activation = Act::linear;
    float alpha = 0.3f;
    bool use_bias = true;
  };
  static const config::Schema<Options>& schema();
  explicit Conv2D(const Options& o)
      : Conv2D(o.filters, o.kernel, o.stride, o.padding, o.activation, o.alpha, o.use_bias) {}
  std::string type() const override { return "conv2d"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  double flops_per_sample() const override;

 private:
  Padding padding_;
};

}  // namespace aekit::nn
