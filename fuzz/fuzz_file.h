// The parsers read a user's file by path, so each harness writes libFuzzer's bytes to a file of
// its own in /dev/shm (memory-backed: no disk traffic) and calls the parser on it. Bad input
// must end as aekit::InputError; any other exception, a crash or a sanitizer report is a bug.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "tensor/error.h"

namespace aekit::fuzz {

// A per-process path ending in `suffix` (one per harness run, reused by every input).
inline std::string input_path(const std::string& suffix) {
  const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  return std::string(dir) + "/aekit-fuzz-" + std::to_string(::getpid()) + suffix;
}

inline const std::string& write_input(const uint8_t* data, size_t size, const std::string& suffix) {
  static const std::string path = input_path(suffix);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                               static_cast<std::streamsize>(size));
  return path;
}

// Runs parse(); an InputError is the expected answer to bad bytes, anything else escapes and
// libFuzzer reports it as a crash (an uncaught exception aborts).
template <class F>
void expect_input_error_only(F&& parse) {
  try {
    parse();
  } catch (const aekit::InputError&) {
  }
}

}  // namespace aekit::fuzz
