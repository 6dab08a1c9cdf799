#include "io/npz.h"

#include <minizip/unzip.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tensor/error.h"

namespace aekit::io {

std::map<std::string, std::string> read_npz(const std::string& path) {
  unzFile zip = unzOpen64(path.c_str());
  if (!zip) throw InputError(path + ": not a readable .npz (zip) file");
  std::map<std::string, std::string> out;
  auto fail = [&](const std::string& what) {
    unzClose(zip);
    throw InputError(path + ": " + what);
  };
  for (int rc = unzGoToFirstFile(zip); rc != UNZ_END_OF_LIST_OF_FILE; rc = unzGoToNextFile(zip)) {
    if (rc != UNZ_OK) fail("damaged zip directory");
    unz_file_info64 info;
    char name[1024];
    if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK) fail("damaged zip entry");
    std::string member = name;
    if (member.size() < 4 || member.compare(member.size() - 4, 4, ".npy") != 0) fail("member '" + member + "' is not a .npy array");
    if (unzOpenCurrentFile(zip) != UNZ_OK) fail("cannot open member '" + member + "'");
    // Grown as data really arrives: the declared size is the file's word, and a damaged or hostile
    // header may declare gigabytes for a few bytes (the fuzzer found one asking for 3 GB).
    std::string bytes;
    std::vector<char> chunk(1 << 20);
    while (bytes.size() < info.uncompressed_size) {
      const unsigned want = static_cast<unsigned>(std::min<uint64_t>(info.uncompressed_size - bytes.size(), chunk.size()));
      const int got = unzReadCurrentFile(zip, chunk.data(), want);
      if (got <= 0) {
        unzCloseCurrentFile(zip);
        fail("member '" + member + "' is damaged or truncated");
      }
      bytes.append(chunk.data(), static_cast<size_t>(got));
    }
    if (unzCloseCurrentFile(zip) != UNZ_OK) fail("member '" + member + "' fails its CRC check");
    out[member.substr(0, member.size() - 4)] = std::move(bytes);
  }
  unzClose(zip);
  if (out.empty()) throw InputError(path + ": empty .npz archive");
  return out;
}

}  // namespace aekit::io
