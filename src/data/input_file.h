// Reading a data file the user named, with errors that say what is wrong with the path.
#pragma once
#include <cstdint>
#include <string>

namespace aekit::data {

// The whole file. InputError "PATH: no such file" / "PATH: is a directory" / unreadable.
std::string read_input_file(const std::string& path);
// Its size in bytes, with the same errors (for readers that take the file in pieces).
uint64_t input_file_size(const std::string& path);

}  // namespace aekit::data
