// Users' image files (data/image_decode.h): PNG, JPEG, BMP and PGM/PPM, told apart by their
// leading bytes, decoded to grey and to RGB as an image folder would. Every input is decoded
// twice, with and without the common-PNG reader (data/png_common_case.h): where it gives pixels,
// libpng must give the same ones (a difference aborts, and libFuzzer keeps the input).
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "data/image_decode.h"
#include "fuzz_file.h"

namespace {

std::optional<aekit::data::RawImage> decode(const std::string& bytes, const aekit::data::DecodeOptions& o) {
  try {
    return aekit::data::decode_image(bytes, "input", o);
  } catch (const aekit::InputError&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  aekit::fuzz::expect_input_error_only([&] { aekit::data::read_image_header(bytes, "input"); });
  for (int channels : {1, 3}) {
    aekit::data::DecodeOptions o;
    o.channels = channels;
    o.max_pixels = int64_t{1} << 20;  // keeps a huge but valid header from dominating the run time
    const std::optional<aekit::data::RawImage> fast = decode(bytes, o);
    o.common_png_fast_path = false;
    const std::optional<aekit::data::RawImage> slow = decode(bytes, o);
    if (fast.has_value() != slow.has_value() ||
        (fast && (fast->width != slow->width || fast->height != slow->height || fast->pixels != slow->pixels))) {
      std::fprintf(stderr, "common-PNG reader and libpng disagree (%s)\n",
                   fast && !slow ? "only the common reader decodes" : !fast && slow ? "only libpng decodes" : "pixels differ");
      std::abort();
    }
  }
  return 0;
}
