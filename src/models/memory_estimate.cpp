#include "models/memory_estimate.h"

#include "tensor/error.h"
#include "tensor/memory.h"

namespace aekit::models {

MemoryEstimate estimate_training_memory(Autoencoder& model, int64_t batch) {
  MemoryEstimate e;
  for (const nn::Param& p : model.params()) e.parameters += 4.0 * p.value->size() * (p.grad ? 4 : 1);
  double per_sample = 0;
  for (Sequential* s : {&model.encoder(), &model.decoder()})
    for (size_t i = 0; i < s->size(); ++i) per_sample += static_cast<double>(numel(s->layer(i).out_shape()));
  e.activations = 4.0 * 3.0 * per_sample * static_cast<double>(batch);
  return e;
}

void check_training_memory(Autoencoder& model, int64_t batch) {
  const MemoryEstimate e = estimate_training_memory(model, batch);
  const double have = static_cast<double>(available_memory_bytes());
  if (e.total() > have)
    throw InputError("the model needs about " + format_bytes(e.total()) + " to train at batch size " +
                     std::to_string(batch) + " (parameters and optimizer state " + format_bytes(e.parameters) +
                     ", activations " + format_bytes(e.activations) + "); " + format_bytes(have) +
                     " is available: lower train.batch_size or the model's size");
}

}  // namespace aekit::models
