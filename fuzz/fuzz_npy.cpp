// NumPy .npy files (io/npy.h): what `aekit decode` reads.
#include "fuzz_file.h"
#include "io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = aekit::fuzz::write_input(data, size, ".npy");
  aekit::fuzz::expect_input_error_only([&] { aekit::io::load_npy(path); });
  return 0;
}
