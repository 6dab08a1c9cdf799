// safetensors files crafted to break the reader (found by a reliability run and the fuzzer):
// each must be one InputError naming the file, never a crash, UB or an exception of another kind.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "io/safetensors.h"
#include "tensor/error.h"

using namespace aekit;

namespace {

std::string with_header(const std::string& header, const std::string& data = "") {
  std::string out(8, '\0');
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string error_of(const std::string& bytes) {
  try {
    io::decode_safetensors(bytes, "w.safetensors");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(SafetensorsHostile, DeeplyNestedHeaderIsRefusedNotAStackOverflow) {
  // Was a crash (exit 139) serialising the dtype for the error message.
  const std::string deep = R"({"w": {"dtype": )" + std::string(300000, '[') + "1" + std::string(300000, ']') +
                           R"(, "shape": [1], "data_offsets": [0, 4]}})";
  const std::string e = error_of(with_header(deep, "abcd"));
  EXPECT_EQ(e.rfind("w.safetensors: ", 0), 0u) << e;
  EXPECT_NE(e.find("nested deeper than 64 levels"), std::string::npos) << e;
}

TEST(SafetensorsHostile, OverflowingShapeDoesNotMatchEmptyOffsets) {
  // 2^62 * 4 floats * 4 bytes wraps to 0 in 64 bits: this passed the size check.
  const std::string e = error_of(with_header(R"({"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 0]}})"));
  EXPECT_EQ(e.rfind("w.safetensors: ", 0), 0u) << e;
  EXPECT_NE(e.find("too many elements"), std::string::npos) << e;
  // Within int64 but beyond any addressable size in bytes.
  EXPECT_NE(error_of(with_header(R"({"w": {"dtype": "F32", "shape": [1152921504606846976, 4], "data_offsets": [0, 0]}})"))
                .find("too many elements"),
            std::string::npos);
}

TEST(SafetensorsHostile, WrongJsonTypesAreInputErrors) {
  EXPECT_NE(error_of(with_header(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": ["0", "4"]}})", "abcd"))
                .find("bad data_offsets"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}})", "abcd"))
                .find("bad data_offsets"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}})", "abcd"))
                .find("bad shape"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w": {"dtype": "F32", "shape": {"a": 1}, "data_offsets": [0, 4]}})", "abcd"))
                .find("bad shape"),
            std::string::npos);
  EXPECT_NE(error_of(with_header("{\"w\": 1")).find("not valid JSON"), std::string::npos);
}
