// FrozenEncoder: a trained model's encoder, snapshotted for encoding one sample at a time (a
// service answering requests, an embedded device): the code of x, a VAE's posterior mean mu.
//
//   models::FrozenEncoder enc(model);        // after training or loading
//   const float* mu = enc.encode(pixels);    // input_size() floats in, code_size() out
//
// Autoencoder::encode runs the training layers at batch 1; this runs a flat list of dense steps
// over kernels::PackedGemv (weights packed input-major, zero inputs skipped), after folding what
// eval mode makes linear:
//   - a batch_norm right after a linear dense layer is folded into its weights and bias;
//   - an activation layer right after a linear dense layer becomes that layer's activation;
//   - dropout, flatten, reshape, activity_l1 and kl_sparsity are identities in eval mode.
// Encoders of dense layers and those (every dense encoder and VAE we ship) can be frozen;
// others (conv, LSTM) cannot: unsupported() says which layer stops it.
//
// The weights are copied: training the model further does not change a FrozenEncoder; build a
// new one. Results equal Autoencoder::encode up to the order of additions (kernels/packed_gemv.h).
// One FrozenEncoder serves one caller at a time (it owns its scratch buffers); it may use every
// OpenMP thread for one call. Copies share the packed weights and have their own scratch: give
// each serving thread its own copy.
#pragma once
#include <string>
#include <vector>

#include "kernels/packed_gemv.h"
#include "models/autoencoder.h"
#include "nn/activation.h"

namespace aekit::models {

class FrozenEncoder {
 public:
  // Why `model`'s encoder cannot be frozen ("layer 2 (conv2d) ..."), or "" when it can.
  static std::string unsupported(Autoencoder& model);

  // Snapshots the encoder (and a VAE's mean head); InputError when unsupported(). Under bf16 the
  // dense steps' weights and inputs are rounded to bf16 and summed in fp32 (kernels/packed_gemv.h),
  // where the CPU has AVX512_BF16; everything else stays fp32.
  explicit FrozenEncoder(Autoencoder& model, kernels::Precision precision = kernels::Precision::fp32);

  int64_t input_size() const { return input_size_; }
  int64_t code_size() const { return code_size_; }

  // The code of one sample: x holds input_size() floats (any sample shape, row-major); the
  // result holds code_size() floats and stays valid until the next call.
  const float* encode(const float* x);

  // One line per step, e.g. "dense 784 -> 400, relu, bf16, 2 threads" (for logs and tests).
  std::vector<std::string> steps() const;

 private:
  struct Step {
    kernels::PackedGemv gemv;       // empty for a stand-alone activation / affine step
    kernels::Fused fused = kernels::Fused::none;  // relu / leaky_relu inside the kernel
    nn::Act after = nn::Act::linear;              // applied to the output afterwards
    float alpha = 0.3f;
    std::vector<float> scale, shift;  // a batch_norm that could not be folded: y = scale x + shift
    int64_t width = 0;                // output values
  };
  std::vector<Step> steps_;
  int64_t input_size_ = 0, code_size_ = 0;
  std::vector<float> a_, b_;  // ping-pong activations
};

}  // namespace aekit::models
