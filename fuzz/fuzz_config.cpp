// Run configs: the bounded JSON parse every user's JSON goes through (io/json_text.h), then the
// run config parser. (Kept short: the config parser's signature follows the config rework.)
#include "fuzz_file.h"
#include "io/json_text.h"
#include "run/run_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  aekit::fuzz::expect_input_error_only([&] {
    const nlohmann::json j = aekit::io::parse_json(text, "fuzz.json");
    aekit::run::parse_run_config(j, "fuzz.json");
  });
  return 0;
}
