// IDX image / label files (raw or gzip'd): data/idx.h.
#include "data/idx.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = aekit::fuzz::write_input(data, size, ".idx");
  aekit::fuzz::expect_input_error_only([&] { aekit::data::read_idx(path); });
  return 0;
}
