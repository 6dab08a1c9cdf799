// NumPy .npz archives (np.savez / np.savez_compressed: a zip of .npy members), read through
// minizip (Debian libminizip-dev, zlib's contrib unzip).
#pragma once
#include <map>
#include <string>

namespace aekit::io {

// Member name without ".npy" -> the member's bytes. InputError "<path>: ..." for a file that is
// not a zip, a damaged member, or a member that is not .npy.
std::map<std::string, std::string> read_npz(const std::string& path);

}  // namespace aekit::io
