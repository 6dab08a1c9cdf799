#include "data/input_file.h"

#include <filesystem>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::data {

namespace {

void require_file(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  require(std::filesystem::exists(st), path + ": no such file");
  require(!std::filesystem::is_directory(st), path + ": is a directory, expected a file");
}

}  // namespace

std::string read_input_file(const std::string& path) {
  require_file(path);
  return io::read_file(path);
}

uint64_t input_file_size(const std::string& path) {
  require_file(path);
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  require(!ec, path + ": cannot read its size (" + ec.message() + ")");
  return size;
}

}  // namespace aekit::data
