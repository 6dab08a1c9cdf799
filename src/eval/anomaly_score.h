// Per-sample anomaly scores of a trained model: how badly it reconstructs each input.
//   "loss"      the run's own per-sample loss (its loss convention; a VAE's includes the KL)
//   "mse"       mean squared error over features of x and its reconstruction
//   "relative"  squared error / squared norm of x (so bright and dark inputs compare)
#pragma once
#include <string>
#include <vector>

#include "models/autoencoder.h"

namespace aekit::eval {

// InputError for an unknown metric.
std::vector<double> anomaly_scores(models::Autoencoder& model, const Tensor& x, const std::string& metric);

}  // namespace aekit::eval
