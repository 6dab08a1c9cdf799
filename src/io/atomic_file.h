// Files that are either fully written or not there at all: data goes to "<path>.tmp.<pid>",
// is fsync'ed, then renamed over <path> (and the folder fsync'ed), so a crash or a full disk
// never leaves a half-written checkpoint, figure or CSV behind.
#pragma once
#include <string>
#include <string_view>

namespace aekit::io {

void write_file_atomic(const std::string& path, std::string_view bytes);
std::string read_file(const std::string& path);  // InputError naming the path if unreadable
void make_dirs(const std::string& path);           // mkdir -p; InputError on failure

}  // namespace aekit::io
