// A run folder as it is now. Training rewrites metrics.csv and the checkpoint after every epoch
// (and model.safetensors at the end); a watcher thread looks at those files' sizes and times
// every `poll` and, when one changed, loads a new snapshot. Requests take the current snapshot;
// the explorer's event stream waits for the next one (wait_for_newer).
#pragma once
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "serve/run_snapshot.h"

namespace aekit::serve {

class LiveRun {
 public:
  // Loads the first snapshot if the folder has weights already (otherwise current() is null
  // until an epoch finishes) and starts watching.
  LiveRun(std::string run_dir, SnapshotOptions options, std::chrono::milliseconds poll = std::chrono::milliseconds(500));
  ~LiveRun();  // stops the watcher
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  std::shared_ptr<const RunSnapshot> current() const;
  // Why there is no snapshot (or why the last reload failed); "" when all is well.
  std::string problem() const;
  // Waits until a snapshot newer than `version` exists, `timeout` passes or stop() is called;
  // returns the current snapshot (maybe null or not newer).
  std::shared_ptr<const RunSnapshot> wait_for_newer(uint64_t version, std::chrono::milliseconds timeout) const;
  // Wakes every waiter and ends the watcher; idempotent.
  void stop();
  bool stopped() const;
  const std::string& dir() const { return dir_; }

 private:
  std::string stamp() const;  // sizes and times of the files training writes
  void reload(const std::string& stamp);
  void watch();

  std::string dir_;
  SnapshotOptions options_;
  std::chrono::milliseconds poll_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::shared_ptr<const RunSnapshot> current_;
  std::string problem_, last_stamp_;
  uint64_t version_ = 0;
  bool stop_ = false;
  std::thread watcher_;
};

}  // namespace aekit::serve
