#include "io/base64.h"

#include <gtest/gtest.h>

namespace aekit::io {
namespace {

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, HighBytesAndTheLastDigits) {
  EXPECT_EQ(base64_encode(std::string("\x89PNG", 4)), "iVBORw==");
  EXPECT_EQ(base64_encode(std::string("\xff\xff\xfe", 3)), "///+");
  EXPECT_EQ(base64_encode(std::string("\0\0\0", 3)), "AAAA");
}

}  // namespace
}  // namespace aekit::io
