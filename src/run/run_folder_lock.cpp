#include "run/run_folder_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <regex>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::run {
namespace {

// The pid in the lock file, or "" when unreadable (the holder may not have written it yet).
std::string holder_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.find_first_not_of("0123456789") == std::string::npos ? s : "";
}

bool process_exists(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

}  // namespace

RunFolderLock::RunFolderLock(const std::string& dir) {
  io::make_dirs(dir);
  const std::string path = dir + "/.aekit.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path + ": cannot open the run folder's lock file (" + std::strerror(errno) + ")");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    const std::string pid = holder_pid(fd_);
    ::close(fd_);
    fd_ = -1;
    if (e == EWOULDBLOCK)
      throw InputError(dir + ": another aekit training (pid " + (pid.empty() ? "unknown" : pid) +
                       ") is writing to this run folder; wait for it or choose another --out");
    throw InputError(path + ": cannot lock (" + std::strerror(e) + ")");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock still holds; only the message a second training would print loses the pid.
  }
  remove_stale_temp_files(dir);
}

RunFolderLock::~RunFolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

int remove_stale_temp_files(const std::string& dir) {
  static const std::regex temp_name(R"(.+\.tmp\.([0-9]{1,9}))");
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, m, temp_name)) continue;
    const long pid = std::stol(m[1].str());
    if (pid != ::getpid() && process_exists(pid)) continue;  // someone is writing it right now
    if (std::filesystem::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace aekit::run
