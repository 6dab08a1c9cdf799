// Reading a data file the user named, with errors that say what is wrong with the path.
#pragma once
#include <string>

namespace aekit::data {

// The whole file. InputError "PATH: no such file" / "PATH: is a directory" / unreadable.
std::string read_input_file(const std::string& path);

}  // namespace aekit::data
