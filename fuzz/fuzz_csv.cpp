// Numeric CSV tables (data/csv.h), with and without a header row, then the tensor conversion.
#include "data/csv.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options, so both header modes and delimiters are explored.
  aekit::data::CsvOptions options;
  options.has_header = data[0] & 1;
  options.delimiter = (data[0] & 2) ? ';' : ',';
  const std::string& path = aekit::fuzz::write_input(data + 1, size - 1, ".csv");
  aekit::fuzz::expect_input_error_only([&] {
    const aekit::data::Table t = aekit::data::read_csv(path, options);
    aekit::data::to_tensor(aekit::data::drop_rows_with_missing(t), {});
  });
  return 0;
}
