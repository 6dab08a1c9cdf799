// Whole-split passes through one half of a model: codes of many inputs, images of many codes.
#pragma once
#include "models/autoencoder.h"

namespace aekit::eval {

// [N, code] codes (a VAE's means), batch by batch.
Tensor encode_all(models::Autoencoder& model, const Tensor& x, int64_t batch = 1000);
// [N, ...input shape] reconstructions (eval mode, data space) of many inputs.
Tensor decode_all_reconstructions(models::Autoencoder& model, const Tensor& x, int64_t batch = 1000);
// [N, ...input shape] decoded images in data space.
Tensor decode_all(models::Autoencoder& model, const Tensor& z, int64_t batch = 1000);

}  // namespace aekit::eval
