// The pictures every training run leaves in its folder:
//   loss_curve.png       train and validation loss per epoch
//   reconstructions.png  the first 10 test images above their reconstructions
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "models/autoencoder.h"

namespace aekit::train {

void write_run_figures(const std::string& dir, const nlohmann::json& history, models::Autoencoder& model,
                       const Tensor& test_x);
void write_loss_curve(const std::string& path, const nlohmann::json& history, const std::string& title);
// x: originals [N, ...image], y: reconstructions of the same shape.
void write_reconstructions(const std::string& path, const Tensor& x, const Tensor& y);

}  // namespace aekit::train
