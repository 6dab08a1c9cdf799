#include "io/npy.h"

#include <cstring>
#include <regex>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::io {

void save_npy(const std::string& path, const Tensor& t) {
  std::string shape;
  for (int64_t d : t.shape()) shape += std::to_string(d) + ",";
  if (t.rank() > 1) shape.pop_back();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Pad so the data starts at a multiple of 64 bytes; the header ends with a newline.
  while ((10 + header.size() + 1) % 64) header.push_back(' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(reinterpret_cast<const char*>(t.data()), t.size() * sizeof(float));
  write_file_atomic(path, out);
}

Tensor load_npy(const std::string& path) {
  const std::string b = read_file(path);
  require(b.size() >= 10 && b.compare(0, 6, "\x93NUMPY") == 0, path + ": not a .npy file");
  const size_t hlen = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
  require(b[6] == 1 && 10 + hlen <= b.size(), path + ": unsupported .npy version or truncated header");
  const std::string h = b.substr(10, hlen);
  require(h.find("'descr': '<f4'") != std::string::npos, path + ": expected float32 ('<f4') data");
  require(h.find("'fortran_order': False") != std::string::npos, path + ": Fortran-ordered arrays are not supported");
  std::smatch m;
  require(std::regex_search(h, m, std::regex("'shape': \\(([0-9, ]*)\\)")), path + ": no shape in the header");
  Shape shape;
  const std::string dims = m[1];
  const std::regex number("[0-9]+");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    const std::string digits = it->str();
    require(digits.size() <= 18, path + ": dimension " + digits + " in the shape is too large");
    shape.push_back(std::stoll(digits));
  }
  // Check the size against the file before allocating: the shape is the file's word.
  const int64_t count = checked_numel(shape, path);
  require(b.size() - 10 - hlen == static_cast<uint64_t>(count) * sizeof(float),
          path + ": data size does not match shape " + to_string(shape));
  Tensor t(shape);
  if (t.size()) std::memcpy(t.data(), b.data() + 10 + hlen, t.size() * sizeof(float));
  return t;
}

}  // namespace aekit::io
