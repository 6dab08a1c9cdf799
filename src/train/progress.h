// The live progress line: "epoch 3/50  step 120/235  loss 0.02130  48,200 samples/s  ETA 1:02".
// On a terminal it redraws in place (at most 5 times a second). When stderr is not a terminal
// (CI, logs) it prints the same text as a plain line at most once per `log_interval` (60 s), so
// short epochs leave only their summary lines and a 3-minute LSTM epoch still shows it is alive.
#pragma once
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <string>

#include "tensor/format.h"

namespace aekit::train {

class Progress {
 public:
  Progress(int total_epochs, int64_t steps_per_epoch, bool quiet,
           std::chrono::milliseconds log_interval = std::chrono::seconds(60), std::FILE* out = stderr);
  void start_epoch(int epoch);  // 1-based
  void step(int64_t step, double running_loss, int64_t samples_done);
  void end_epoch();  // clears the live line
  // Seconds since start_epoch.
  double epoch_seconds() const;

 private:
  int total_epochs_, epoch_ = 0;
  int64_t steps_;
  bool live_, log_;
  std::chrono::milliseconds log_interval_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point epoch_start_, last_print_;
  double seconds_done_ = 0;  // finished epochs, for the ETA
  int epochs_timed_ = 0;
};


}  // namespace aekit::train
