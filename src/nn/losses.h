// Factories of the concrete losses (one file each); make_loss() in loss.cpp picks by name.
#pragma once
#include "nn/loss.h"

namespace aekit::nn {
std::unique_ptr<Loss> make_mse(Reduction r, double scale);
std::unique_ptr<Loss> make_bce(Reduction r, double scale);
std::unique_ptr<Loss> make_bce_logits(Reduction r, double scale);
}  // namespace aekit::nn
