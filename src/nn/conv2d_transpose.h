// conv2d_transpose: transposed 2-D convolution with an optional fused activation (Keras
// Conv2DTranspose; the layout of PyTorch's ConvTranspose2d).
//   {"type":"conv2d_transpose","filters":F,"kernel":k|[kh,kw],"stride":s|[sh,sw] (1),
//    "padding":"same"|"valid" ("valid"),"output_padding":op|[oh,ow] (none),
//    "activation":"relu"... ("linear"),"use_bias":true}
//   x: [B, C, H, W] (NCHW),  y = act(conv_transpose(x, weight) + bias): [B, F, OH, OW]
//   weight: [C, F, kh, kw], bias: [F], as PyTorch's ConvTranspose2d lays them out.
// Output size, per axis, as Keras defines it:
//   no output_padding:  "same": OH = H sh;  "valid": OH = H sh + max(kh - sh, 0)
//   output_padding op:  OH = (H - 1) sh + kh - 2 pad + op, pad = kh / 2 ("same") or 0 ("valid");
//                       op must be smaller than the stride
// Every input pixel scatters kernel * value into the full output of (H - 1) sh + kh rows; y is
// that full output cropped as TensorFlow crops it: top = max((H - 1) sh + kh - OH, 0) / 2 for
// "same", 0 for "valid", the rest at the bottom; when OH is larger than the full output the
// extra bottom rows get only the bias. (Columns likewise.) PyTorch's ConvTranspose2d(padding=p,
// output_padding=op) crops p on top and p - op at the bottom instead, so "same" with an odd
// total crop differs from it by one row of placement.
// It is the gradient of conv2d with the same kernel, stride and padding; oneDNN's deconvolution
// primitives do the work (kernels/conv.h), with bias and activation fused.
#pragma once
#include <optional>

#include "nn/conv2d.h"

namespace aekit::nn {

class Conv2DTranspose : public ConvLayer {
 public:
  Conv2DTranspose(int64_t filters, HW kernel, HW stride = {}, Padding padding = {},
                  std::optional<HW> output_padding = std::nullopt, Act act = Act::linear, float alpha = 0.3f,
                  bool use_bias = true);
  // conv2d's keys plus "output_padding": k | [h, w] (each below the stride); padding "same" | "valid"
  struct Options {
    int64_t filters = 0;
    HW kernel{0, 0}, stride{1, 1};
    Padding padding;
    std::optional<HW> output_padding;
    Act activation = Act::linear;
    float alpha = 0.3f;
    bool use_bias = true;
  };
  static const config::Schema<Options>& schema();
  explicit Conv2DTranspose(const Options& o)
      : Conv2DTranspose(o.filters, o.kernel, o.stride, o.padding, o.output_padding, o.activation, o.alpha, o.use_bias) {}
  std::string type() const override { return "conv2d_transpose"; }
  nlohmann::json config() const override;
  Shape build(const Shape& in) override;
  double flops_per_sample() const override;

 private:
  Padding padding_;
  std::optional<HW> output_padding_;
};

}  // namespace aekit::nn
