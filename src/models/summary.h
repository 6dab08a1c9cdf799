// A model's layer table, as Keras's model.summary() prints it: each layer's config path, type,
// output shape per sample and parameter count, then the totals.
#pragma once
#include <string>

#include "models/autoencoder.h"

namespace aekit::models {

std::string model_summary(Autoencoder& model);

}  // namespace aekit::models
