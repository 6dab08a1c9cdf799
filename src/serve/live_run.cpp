#include "serve/live_run.h"

#include <filesystem>

namespace aekit::serve {

namespace fs = std::filesystem;

LiveRun::LiveRun(std::string run_dir, SnapshotOptions options, std::chrono::milliseconds poll)
    : dir_(std::move(run_dir)), options_(std::move(options)), poll_(poll) {
  const std::string s = stamp();
  reload(s);
  watcher_ = std::thread([this] { watch(); });
}

LiveRun::~LiveRun() {
  stop();
  if (watcher_.joinable()) watcher_.join();
}

std::string LiveRun::stamp() const {
  std::string s;
  for (const char* f : {"metrics.csv", "checkpoint.safetensors", "model.safetensors", "config.json"}) {
    std::error_code ec;
    const fs::path p = fs::path(dir_) / f;
    const auto size = fs::file_size(p, ec);
    if (ec) {
      s += "-;";
      continue;
    }
    const auto t = fs::last_write_time(p, ec).time_since_epoch().count();
    s += std::to_string(size) + "@" + std::to_string(t) + ";";
  }
  return s;
}

void LiveRun::reload(const std::string& s) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last_stamp_ = s;
  }
  const bool has_weights = fs::exists(fs::path(dir_) / "model.safetensors") ||
                           fs::exists(fs::path(dir_) / "checkpoint.safetensors");
  std::shared_ptr<const RunSnapshot> next;
  std::string problem;
  if (!has_weights) {
    problem = dir_ + ": no finished epoch yet (no model.safetensors or checkpoint.safetensors)";
  } else {
    try {
      next = load_snapshot(dir_, options_, version_ + 1);
    } catch (const std::exception& e) {
      // A file caught mid-replace: keep the last snapshot; the next change tries again.
      problem = e.what();
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  problem_ = problem;
  if (next) {
    current_ = std::move(next);
    ++version_;
    changed_.notify_all();
  }
}

void LiveRun::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    changed_.wait_for(lock, poll_, [&] { return stop_; });
    if (stop_) break;
    lock.unlock();
    const std::string s = stamp();
    bool differs;
    {
      std::lock_guard<std::mutex> g(mutex_);
      differs = s != last_stamp_;
    }
    if (differs) {
      // Let the writer finish the epoch's files (checkpoint, then metrics.csv) before reading.
      std::this_thread::sleep_for(poll_ / 4);
      reload(stamp());
    }
    lock.lock();
  }
}

std::shared_ptr<const RunSnapshot> LiveRun::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

std::string LiveRun::problem() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return problem_;
}

std::shared_ptr<const RunSnapshot> LiveRun::wait_for_newer(uint64_t version, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return stop_ || version_ > version; });
  return current_;
}

void LiveRun::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stop_ = true;
  changed_.notify_all();
}

bool LiveRun::stopped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stop_;
}

}  // namespace aekit::serve
