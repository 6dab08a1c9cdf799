#include "run/beta_schedule.h"

#include <algorithm>
#include <cmath>


namespace aekit::run {

double BetaSchedule::at(double beta, double t) const {
  if (type == "linear") return beta * std::min(1.0, t / warmup_epochs);
  if (type == "cyclical") {
    const double phase = std::fmod(t, cycle_epochs) / cycle_epochs;
    return beta * std::min(1.0, phase / ramp);
  }
  return beta;
}

const config::Schema<BetaSchedule>& beta_schedule_schema() {
  static const auto s = config::Schema<BetaSchedule>("beta_schedule")
                            .one_of("type", &BetaSchedule::type, {"constant", "linear", "cyclical"})
                            .key("warmup_epochs", &BetaSchedule::warmup_epochs, config::above(0))
                            .key("cycle_epochs", &BetaSchedule::cycle_epochs, config::above(0))
                            .key("ramp", &BetaSchedule::ramp, config::Range{0, 1, true, false});
  return s;
}

}  // namespace aekit::run
