// Errors aekit reports to users.
//
// InputError: the user's input is wrong (bad file, bad config, impossible shape); the CLI prints
// its message on one line and exits 2. Any other std::exception exits 1.
#pragma once
#include <stdexcept>
#include <string>

namespace aekit {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws InputError(msg) when cond is false. For checks on data the user handed us.
inline void require(bool cond, const std::string& msg) {
  if (!cond) throw InputError(msg);
}

}  // namespace aekit
