// Factories of the concrete optimizers (one file each); make_optimizer() picks by name.
#pragma once
#include "nn/optimizer.h"

namespace aekit::nn {
std::unique_ptr<Optimizer> make_adam(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec& spec);
}  // namespace aekit::nn
