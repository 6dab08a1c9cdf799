// The live progress line: "epoch 3/50  step 120/235  loss 0.02130  48,200 samples/s  ETA 1:02".
// On a terminal it redraws in place (at most 5 times a second); when stderr is not a terminal
// (CI, logs) only the per-epoch summary lines are printed, so logs stay readable.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace aekit::train {

class Progress {
 public:
  Progress(int total_epochs, int64_t steps_per_epoch, bool quiet);
  void start_epoch(int epoch);  // 1-based
  void step(int64_t step, double running_loss, int64_t samples_done);
  void end_epoch();  // clears the live line
  // Seconds since start_epoch.
  double epoch_seconds() const;

 private:
  int total_epochs_, epoch_ = 0;
  int64_t steps_;
  bool live_;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
  double seconds_done_ = 0;  // finished epochs, for the ETA
  int epochs_timed_ = 0;
};

std::string format_duration(double seconds);  // "1:02:03" / "4:05" / "0:07"
std::string format_count(double v);           // 48200 -> "48,200"

}  // namespace aekit::train
