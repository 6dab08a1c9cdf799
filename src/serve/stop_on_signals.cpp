#include "serve/stop_on_signals.h"

#include <csignal>

namespace aekit::serve {
namespace {
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

StopOnSignals::StopOnSignals(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  waiter_ = std::thread([this, set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (leaving_) return;
      on_signal_(sig);
    }
  });
}

StopOnSignals::~StopOnSignals() {
  leaving_ = true;
  pthread_kill(waiter_.native_handle(), SIGTERM);  // blocked here too: sigwait() takes it
  waiter_.join();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace aekit::serve
