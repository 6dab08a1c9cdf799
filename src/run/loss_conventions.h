// What a run's loss numbers mean: the reconstruction loss's reduction and scale and, for a VAE,
// how the KL term enters. The trainer prints these lines at the start of every run and
// `aekit report` shows them, so both say exactly the same thing.
#pragma once
#include <string>
#include <vector>

#include "models/autoencoder.h"
#include "run/run_config.h"

namespace aekit::run {

std::vector<std::string> loss_conventions(const RunConfig& cfg, models::Autoencoder& model);

}  // namespace aekit::run
