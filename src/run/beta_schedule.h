// KL weight schedules for VAEs, evaluated at a fractional epoch t (0 at the start of training,
// 1 after the first epoch, ...), all ending at the model's beta:
//   constant              beta
//   linear   (warm-up)    beta * min(1, t / warmup_epochs)
//   cyclical              beta * min(1, phase / ramp), phase = (t mod cycle_epochs) / cycle_epochs
//                         (Fu et al. 2019: ramp up over the first `ramp` fraction of each cycle)
// Config: "beta_schedule": {"type": "linear", "warmup_epochs": 10} in the "train" section.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "config/schema.h"

namespace aekit::run {

struct BetaSchedule {
  std::string type = "constant";
  double warmup_epochs = 1, cycle_epochs = 10, ramp = 0.5;
  double at(double beta, double t) const;
};

const config::Schema<BetaSchedule>& beta_schedule_schema();

}  // namespace aekit::run
