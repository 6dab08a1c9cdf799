// Checks that a folder can be written before long work whose results go there starts.
#pragma once
#include <string>

namespace aekit::io {

// InputError "DIR: cannot write to this folder (<reason>)" unless DIR is a writable folder.
void check_writable_dir(const std::string& dir);

}  // namespace aekit::io
