#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tensor/error.h"

namespace aekit::io {
namespace {

// A full disk, an exhausted quota or an I/O error is the machine's trouble, not bad input: it
// ends as exit 1 (std::runtime_error). A path that cannot be written for what it names (no such
// folder, no permission, read-only file system) is the user's to fix: InputError, exit 2.
[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  const std::string msg = path + ": " + what + " (" + std::strerror(err) + ")";
  switch (err) {
    case ENOENT: case ENOTDIR: case EACCES: case EPERM: case EROFS: case EISDIR: case ENAMETOOLONG:
      throw InputError(msg);
    default:
      throw std::runtime_error(msg);
  }
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot write", errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(path, "write failed", e);
    }
    done += static_cast<size_t>(w);
  }
  // fsync and close report delayed write errors (ENOSPC, EIO on network or thin-provisioned
  // storage); close runs either way, so the descriptor is not leaked.
  int e = ::fsync(fd) != 0 ? errno : 0;
  if (::close(fd) != 0 && e == 0) e = errno;
  if (e != 0) {
    ::unlink(tmp.c_str());
    fail(path, "write failed", e);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    fail(path, "cannot replace", e);
  }
  // Make the rename itself durable.
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::string read_file(const std::string& path) {
  // One read into a string of the file's size (a stream into an ostringstream copied every
  // byte twice more: ~4 % of decoding a folder of small PNGs). A file that grows or shrinks
  // meanwhile is read to its end all the same.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  struct stat st{};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    const int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    throw InputError(path + ": cannot open (" + std::strerror(e) + ")");
  }
  std::string out(static_cast<size_t>(std::max<off_t>(st.st_size, 0)) + 1, '\0');  // +1: sees the end
  size_t done = 0;
  for (;;) {
    if (done == out.size()) out.resize(out.size() * 2);
    const ssize_t r = ::read(fd, out.data() + done, out.size() - done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      const int e = errno;
      ::close(fd);
      throw InputError(path + ": read failed (" + std::strerror(e) + ")");
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  ::close(fd);
  out.resize(done);
  return out;
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw InputError(path + ": cannot create folder (" + ec.message() + ")");
}

}  // namespace aekit::io
