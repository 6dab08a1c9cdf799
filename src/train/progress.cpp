#include "train/progress.h"

#include <unistd.h>

#include <cstdio>

namespace aekit::train {

Progress::Progress(int total_epochs, int64_t steps, bool quiet, std::chrono::milliseconds log_interval, std::FILE* out)
    : total_epochs_(total_epochs),
      steps_(steps),
      live_(!quiet && isatty(fileno(out))),
      log_(!quiet && !live_),
      log_interval_(log_interval),
      out_(out) {}

void Progress::start_epoch(int epoch) {
  epoch_ = epoch;
  epoch_start_ = last_print_ = std::chrono::steady_clock::now();
}

double Progress::epoch_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
}

void Progress::step(int64_t step, double loss, int64_t samples) {
  if (!live_ && !log_) return;
  auto now = std::chrono::steady_clock::now();
  // A terminal: at most 5 redraws a second, always the last step. A log: at most one line per
  // interval, never the epoch's last step (its summary line follows at once).
  if (live_ && step < steps_ && now - last_print_ < std::chrono::milliseconds(200)) return;
  if (log_ && (step >= steps_ || now - last_print_ < log_interval_)) return;
  last_print_ = now;
  double el = epoch_seconds();
  double rate = el > 0 ? samples / el : 0;
  // ETA: the rest of this epoch at the current pace plus the remaining epochs at the mean pace.
  double per_epoch = epochs_timed_ ? seconds_done_ / epochs_timed_ : (step ? el * steps_ / step : 0);
  double eta = (step ? el * (steps_ - step) / step : per_epoch) + per_epoch * (total_epochs_ - epoch_);
  std::fprintf(out_, "%sepoch %d/%d  step %lld/%lld  loss %.5f  %s samples/s  ETA %s%s", live_ ? "\r\033[K" : "",
               epoch_, total_epochs_, static_cast<long long>(step), static_cast<long long>(steps_), loss,
               format_count(rate).c_str(), format_duration(eta).c_str(), live_ ? "" : "\n");
  std::fflush(out_);
}

void Progress::end_epoch() {
  seconds_done_ += epoch_seconds();
  ++epochs_timed_;
  if (live_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
  }
}

}  // namespace aekit::train
