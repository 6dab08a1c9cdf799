// Runs the built aekit binary with arguments, capturing exit code, stdout and stderr.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "io/atomic_file.h"
#include "support/temp_dir.h"

namespace aekit::testing {

struct CliResult {
  int code = -1;
  std::string out, err;
};

inline CliResult run_aekit(const std::string& args, const ScratchDir& scratch) {
  const std::string out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const std::string cmd = std::string(AEKIT_BINARY) + " " + args + " >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = io::read_file(out);
  r.err = io::read_file(err);
  return r;
}

}  // namespace aekit::testing
