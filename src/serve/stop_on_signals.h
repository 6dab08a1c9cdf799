// Graceful shutdown on SIGINT / SIGTERM. A signal handler may do almost nothing safely, so the
// signals are blocked instead and one thread waits for them with sigwait() and then runs
// `on_signal` as ordinary code (stopping a server, setting a training stop flag).
// Construct it before starting other threads: they inherit the blocked mask, so the signal can
// only arrive at the waiting thread.
#pragma once
#include <pthread.h>

#include <atomic>
#include <functional>
#include <thread>

namespace aekit::serve {

class StopOnSignals {
 public:
  explicit StopOnSignals(std::function<void(int signal)> on_signal);
  ~StopOnSignals();  // ends the waiting thread and restores the signal mask
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  std::function<void(int)> on_signal_;
  std::atomic<bool> leaving_{false};
  sigset_t old_mask_;
  std::thread waiter_;
};

}  // namespace aekit::serve
