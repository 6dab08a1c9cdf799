#include "io/writable_dir.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tensor/error.h"

namespace aekit::io {

void check_writable_dir(const std::string& dir) {
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(dir + ": cannot write to this folder (" + std::strerror(errno) + ")");
}

}  // namespace aekit::io
