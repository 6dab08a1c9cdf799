#include "tensor/memory.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "tensor/error.h"

namespace aekit {

uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : UINT64_MAX;
}

uint64_t available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return physical_memory_bytes();
}

void check_tensor_fits(const Shape& shape) {
  double bytes = 4;
  for (int64_t d : shape) bytes *= static_cast<double>(d);
  const double have = static_cast<double>(physical_memory_bytes());
  if (bytes > have)
    throw InputError("a " + to_string(shape) + " tensor needs " + format_bytes(bytes) + ", more than this machine's " +
                     format_bytes(have) + " of memory");
}

}  // namespace aekit
