#include "data/array_dataset.h"

#include <cmath>

#include "data/unit_pixel.h"
#include "io/atomic_file.h"
#include "io/npy_array.h"
#include "io/npz.h"
#include "tensor/error.h"

namespace aekit::data {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

Tensor samples_from(const io::NpyArray& a, const std::string& name) {
  require(!a.shape.empty(), name + ": a scalar, expected samples [N, ...]");
  require(a.shape[0] > 0, name + ": no samples (N = 0)");
  require((a.kind == 'u' && a.item_bytes == 1) || a.kind == 'f',
          name + ": samples must be uint8 or float32/float64 arrays");
  Tensor t;
  t.resize(a.shape);
  io::npy_to_floats(a, t.data());
  if (a.kind == 'u') {
    for (float& x : t) x = unit_pixel(static_cast<uint8_t>(x));
  } else {
    for (int64_t i = 0; i < t.size(); ++i)
      require(std::isfinite(t[i]), name + ": non-finite value at flat index " + std::to_string(i));
  }
  return t;
}

std::vector<int> labels_from(const io::NpyArray& a, int64_t n, const std::string& name) {
  require(a.count() == n && (a.shape.size() == 1 || (a.shape.size() == 2 && a.shape[1] == 1)),
          name + ": labels have shape " + to_string(a.shape) + ", expected [" + std::to_string(n) + "]");
  std::vector<int> out;
  for (int64_t v : io::npy_as_ints(a, name)) {
    require(v >= 0 && v < (1 << 30), name + ": label " + std::to_string(v) + " is negative or too large");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

}  // namespace

ArrayData load_array_data(const std::string& path, const ArrayOptions& o) {
  ArrayData d;
  d.source = path;
  if (ends_with(path, ".npy")) {
    d.x = samples_from(io::parse_npy(io::read_file(path), path), path);
    if (!o.labels_path.empty())
      d.labels = labels_from(io::parse_npy(io::read_file(o.labels_path), o.labels_path), d.x.dim(0), o.labels_path);
    return d;
  }
  require(ends_with(path, ".npz"), path + ": expected a .npy or .npz file");
  const auto members = io::read_npz(path);
  std::string key = o.key;
  if (key.empty()) key = members.size() == 1 ? members.begin()->first : "x";
  const auto it = members.find(key);
  if (it == members.end()) {
    std::string names;
    for (const auto& [k, v] : members) names += (names.empty() ? "" : ", ") + k;
    throw InputError(path + ": no array '" + key + "' (the archive holds " + names + ")");
  }
  d.x = samples_from(io::parse_npy(it->second, path + ":" + key), path + ":" + key);
  std::string lk = o.labels_key;
  if (lk.empty())
    for (const char* guess : {"labels", "y"})
      if (members.count(guess) && guess != key) lk = guess;
  if (!lk.empty()) {
    const auto l = members.find(lk);
    require(l != members.end(), path + ": no labels array '" + lk + "'");
    d.labels = labels_from(io::parse_npy(l->second, path + ":" + lk), d.x.dim(0), path + ":" + lk);
  }
  return d;
}

}  // namespace aekit::data
