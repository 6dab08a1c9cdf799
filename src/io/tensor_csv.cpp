#include "io/tensor_csv.h"

#include <cstdio>
#include <sstream>

#include "io/atomic_file.h"

namespace aekit::io {

void write_tensor_csv(const std::string& path, const Tensor& t, const std::string& column_prefix) {
  std::ostringstream o;
  const int64_t d = t.sample_size();
  for (int64_t j = 0; j < d; ++j) o << (j ? "," : "") << column_prefix << j;
  o << "\n";
  char buf[32];
  for (int64_t i = 0; i < t.dim(0); ++i) {
    for (int64_t j = 0; j < d; ++j) {
      std::snprintf(buf, sizeof buf, "%.7g", t[i * d + j]);
      o << (j ? "," : "") << buf;
    }
    o << "\n";
  }
  write_file_atomic(path, o.str());
}

}  // namespace aekit::io
