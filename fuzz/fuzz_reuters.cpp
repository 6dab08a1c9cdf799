// Reuters-21578 SGML files (data/text/reuters.h).
#include "data/text/reuters.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = aekit::fuzz::write_input(data, size, ".sgm");
  aekit::fuzz::expect_input_error_only([&] { aekit::data::text::read_reuters_sgml(path); });
  return 0;
}
