#include "data/input_file.h"

#include <filesystem>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::data {

std::string read_input_file(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  require(std::filesystem::exists(st), path + ": no such file");
  require(!std::filesystem::is_directory(st), path + ": is a directory, expected a file");
  return io::read_file(path);
}

}  // namespace aekit::data
