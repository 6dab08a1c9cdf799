#include "run/beta_schedule.h"

#include <algorithm>
#include <cmath>

#include "tensor/error.h"

namespace aekit::run {

double BetaSchedule::at(double beta, double t) const {
  if (type == "linear") return beta * std::min(1.0, t / warmup_epochs);
  if (type == "cyclical") {
    const double phase = std::fmod(t, cycle_epochs) / cycle_epochs;
    return beta * std::min(1.0, phase / ramp);
  }
  return beta;
}

BetaSchedule parse_beta_schedule(const nlohmann::json& j) {
  BetaSchedule s;
  if (j.is_null()) return s;
  require(j.is_object(), "beta_schedule: expected an object");
  for (auto it = j.begin(); it != j.end(); ++it)
    require(it.key() == "type" || it.key() == "warmup_epochs" || it.key() == "cycle_epochs" || it.key() == "ramp",
            "beta_schedule: unknown key \"" + it.key() + "\" (expected type, warmup_epochs, cycle_epochs, ramp)");
  s.type = j.value("type", "constant");
  require(s.type == "constant" || s.type == "linear" || s.type == "cyclical",
          "beta_schedule: type must be constant, linear or cyclical, got \"" + s.type + "\"");
  s.warmup_epochs = j.value("warmup_epochs", 1.0);
  s.cycle_epochs = j.value("cycle_epochs", 10.0);
  s.ramp = j.value("ramp", 0.5);
  require(s.warmup_epochs > 0 && s.cycle_epochs > 0 && s.ramp > 0 && s.ramp <= 1,
          "beta_schedule: need warmup_epochs > 0, cycle_epochs > 0, 0 < ramp <= 1");
  return s;
}

}  // namespace aekit::run
