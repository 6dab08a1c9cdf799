#include "io/npy_array.h"

#include <cmath>
#include <cstring>
#include <regex>

#include "tensor/error.h"

namespace aekit::io {
namespace {

template <class T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

double value_at(const NpyArray& a, int64_t i) {
  const char* p = a.data.data() + i * a.item_bytes;
  switch (a.kind) {
    case 'f': return a.item_bytes == 4 ? load<float>(p) : load<double>(p);
    case 'u':
      switch (a.item_bytes) {
        case 1: return load<uint8_t>(p);
        case 2: return load<uint16_t>(p);
        case 4: return load<uint32_t>(p);
        default: return static_cast<double>(load<uint64_t>(p));
      }
    case 'b': return load<uint8_t>(p) ? 1 : 0;
    default:
      switch (a.item_bytes) {
        case 1: return load<int8_t>(p);
        case 2: return load<int16_t>(p);
        case 4: return load<int32_t>(p);
        default: return static_cast<double>(load<int64_t>(p));
      }
  }
}

}  // namespace

int64_t NpyArray::count() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

NpyArray parse_npy(const std::string& b, const std::string& name) {
  require(b.size() >= 10 && b.compare(0, 6, "\x93NUMPY") == 0, name + ": not a .npy array");
  const int major = static_cast<unsigned char>(b[6]);
  require(major >= 1 && major <= 3, name + ": unsupported .npy version " + std::to_string(major));
  size_t hlen, at;
  if (major == 1) {
    hlen = static_cast<unsigned char>(b[8]) | static_cast<unsigned char>(b[9]) << 8;
    at = 10;
  } else {
    require(b.size() >= 12, name + ": truncated .npy header");
    hlen = load<uint32_t>(b.data() + 8);
    at = 12;
  }
  require(at + hlen <= b.size(), name + ": truncated .npy header");
  const std::string h = b.substr(at, hlen);
  std::smatch m;
  require(std::regex_search(h, m, std::regex("'descr':\\s*'([<>|=])([fuib])([0-9]+)'")),
          name + ": unsupported dtype (numeric arrays only: uint8, float32, ...)");
  NpyArray a;
  a.kind = m[2].str()[0];
  require(m[3].length() <= 2, name + ": unsupported dtype " + m[0].str());  // std::stoi would throw out_of_range
  a.item_bytes = std::stoi(m[3]);
  const bool ok_size = a.kind == 'f' ? (a.item_bytes == 4 || a.item_bytes == 8)
                                     : (a.item_bytes == 1 || a.item_bytes == 2 || a.item_bytes == 4 || a.item_bytes == 8);
  require(ok_size, name + ": unsupported dtype " + m[0].str());
  require(m[1] != ">" || a.item_bytes == 1, name + ": big-endian arrays are not supported");
  require(std::regex_search(h, std::regex("'fortran_order':\\s*False")), name + ": Fortran-ordered arrays are not supported (use np.ascontiguousarray)");
  require(std::regex_search(h, m, std::regex("'shape':\\s*\\(([0-9, L]*)\\)")), name + ": no shape in the .npy header");
  const std::string dims = m[1];
  const std::regex number("[0-9]+");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    require(it->str().size() < 13, name + ": shape too large");
    a.shape.push_back(std::stoll(it->str()));
  }
  // The shape is the file's word: its product is checked for overflow before it is trusted, and
  // compared by division so count * item_bytes cannot wrap either.
  const int64_t count = checked_numel(a.shape, name);
  const size_t have = b.size() - at - hlen;
  require(have % a.item_bytes == 0 && have / a.item_bytes == static_cast<size_t>(count),
          name + ": data size " + std::to_string(have) + " bytes does not match shape " + to_string(a.shape));
  a.data = b.substr(at + hlen);
  return a;
}

void npy_to_floats(const NpyArray& a, float* out) {
  const int64_t n = a.count();
  if (a.kind == 'f' && a.item_bytes == 4) {
    if (n) std::memcpy(out, a.data.data(), static_cast<size_t>(n) * 4);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(value_at(a, i));
  }
}

std::vector<int64_t> npy_as_ints(const NpyArray& a, const std::string& name) {
  std::vector<int64_t> v(static_cast<size_t>(a.count()));
  for (size_t i = 0; i < v.size(); ++i) {
    const double x = value_at(a, static_cast<int64_t>(i));
    require(std::isfinite(x) && x == std::floor(x), name + ": value " + std::to_string(x) + " at " + std::to_string(i) + " is not an integer label");
    v[i] = static_cast<int64_t>(x);
  }
  return v;
}

}  // namespace aekit::io
