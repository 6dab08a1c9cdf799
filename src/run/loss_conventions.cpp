#include "run/loss_conventions.h"

#include <cstdio>

#include "run/beta_schedule.h"

namespace aekit::run {

std::vector<std::string> loss_conventions(const RunConfig& cfg, models::Autoencoder& model) {
  std::vector<std::string> lines{model.loss().convention(numel(model.input_shape()))};
  if (model.is_vae()) {
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "vae: loss = recon + beta * KL(q(z|x) || N(0,I)), KL summed over %lld latent dims, mean over "
                  "samples; beta %g (%s schedule)",
                  static_cast<long long>(numel(model.code_shape())), model.config_beta(),
                  cfg.train.schedule().type.c_str());
    lines.push_back(buf);
  }
  return lines;
}

}  // namespace aekit::run
