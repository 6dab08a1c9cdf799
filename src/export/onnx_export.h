// ONNX export of a trained model: two graphs, opset 13, float32, batch axis "N" left dynamic.
//
//   encoder.onnx   input  "x"  [N, ...input shape]   (e.g. [N, 28, 28], [N, 1, 28, 28], [N, 50, 50])
//                  output "code" [N, ...code shape]  (plain autoencoders)
//                      or "mean", "log_variance" [N, latent]  (VAEs; sampling z = mean +
//                         exp(log_variance / 2) * eps stays with the caller; log_variance is
//                         clamped to [-30, 20] as in training)
//   decoder.onnx   input  "z"  [N, ...code shape]
//                  output "x_hat" [N, ...input shape], in data space (a sigmoid is added when the
//                         model was trained with bce_logits)
//
// Layers are read through their config() JSON and params() (the PyTorch layouts), eval mode:
// dense -> Gemm, conv2d -> Conv (explicit pads for 'same'), conv2d_transpose -> ConvTranspose
// (pads + output_padding), max_pool2d -> MaxPool (explicit pads), upsampling2d -> Resize
// nearest, batch_norm -> BatchNormalization, lstm / bidirectional -> LSTM (gates reordered from
// ours i f g o to ONNX's i o f c), repeat_vector -> Unsqueeze + Expand, flatten / reshape ->
// Reshape; dropout, activity_l1 and kl_sparsity are identities at inference. Any other layer:
// InputError naming it. Both graphs pass onnx::checker::check_model before they are written.
#pragma once
#include <string>
#include <vector>

#include "models/autoencoder.h"

namespace aekit::exporting {

struct OnnxFiles {
  std::string encoder, decoder;  // the paths written
};

// Writes out_dir/encoder.onnx and out_dir/decoder.onnx (atomically). `name` goes into the
// models' graph names (e.g. the run's name).
OnnxFiles export_onnx(models::Autoencoder& model, const std::string& out_dir, const std::string& name);

// The serialized graphs, for tests.
std::string encoder_onnx(models::Autoencoder& model, const std::string& name);
std::string decoder_onnx(models::Autoencoder& model, const std::string& name);

}  // namespace aekit::exporting
