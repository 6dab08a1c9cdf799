#include "io/npy.h"

#include <cstring>

#include "io/atomic_file.h"
#include "io/npy_array.h"
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
  const NpyArray a = parse_npy(read_file(path), path);
  require(a.kind == 'f' && a.item_bytes == 4, path + ": expected float32 ('<f4') data");
  Tensor t(a.shape);
  if (t.size()) std::memcpy(t.data(), a.data.data(), t.size() * sizeof(float));
  return t;
}

}  // namespace aekit::io
