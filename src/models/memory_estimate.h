// Memory a model needs to train at a batch size, estimated from its shapes before the first step:
// parameters four times (values, gradients, Adam's two moments) and, per layer, its output three
// times over the batch (the output, its gradient, and the layer's own buffers of that size).
// Deliberately a rough upper estimate: its purpose is to refuse a run that cannot fit with a
// clear message, not to predict the peak.
#pragma once
#include <cstdint>

#include "models/autoencoder.h"

namespace aekit::models {

struct MemoryEstimate {
  double parameters = 0;   // bytes
  double activations = 0;  // bytes at the batch size
  double total() const { return parameters + activations; }
};

MemoryEstimate estimate_training_memory(Autoencoder& model, int64_t batch);

// InputError naming the estimate when it exceeds the memory available now.
void check_training_memory(Autoencoder& model, int64_t batch);

}  // namespace aekit::models
