// Users' image files (data/image_decode.h): PNG, JPEG, BMP and PGM/PPM, told apart by their
// leading bytes, decoded to grey and to RGB as an image folder would.
#include "data/image_decode.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  aekit::fuzz::expect_input_error_only([&] { aekit::data::read_image_header(bytes, "input"); });
  for (int channels : {1, 3}) {
    aekit::data::DecodeOptions o;
    o.channels = channels;
    o.max_pixels = int64_t{1} << 20;  // keeps a huge but valid header from dominating the run time
    aekit::fuzz::expect_input_error_only([&] { aekit::data::decode_image(bytes, "input", o); });
  }
  return 0;
}
