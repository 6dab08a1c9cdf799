// Users' arrays (data/array_dataset.h): .npz archives (zip members through minizip, each a .npy
// of any numeric dtype) with their labels, as a "kind": "arrays" data section reads them.
#include "data/array_dataset.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = aekit::fuzz::write_input(data, size, ".npz");
  aekit::fuzz::expect_input_error_only([&] { aekit::data::load_array_data(path); });
  return 0;
}
