// Element counts of shapes, which may come from a user's file: overflow is an error, not UB.
#include <gtest/gtest.h>

#include "tensor/error.h"
#include "tensor/tensor.h"

using namespace aekit;

TEST(Numel, MultipliesAndRefusesOverflow) {
  EXPECT_EQ(numel({2, 3, 4}), 24);
  EXPECT_EQ(numel({}), 1);
  EXPECT_EQ(numel({5, 0}), 0);
  EXPECT_THROW(numel({int64_t{1} << 62, 4}), InputError);
  EXPECT_THROW(numel({int64_t{1} << 32, int64_t{1} << 32}), InputError);
}

TEST(Numel, CheckedNumelNamesTheSource) {
  EXPECT_EQ(checked_numel({3, 4}, "f"), 12);
  EXPECT_EQ(checked_numel({0, int64_t{1} << 62}, "f"), 0);
  try {
    checked_numel({int64_t{1} << 61, 2}, "model.safetensors");  // fits int64, not in bytes
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "model.safetensors: shape [2305843009213693952,2] has too many elements");
  }
  EXPECT_THROW(checked_numel({2, -1}, "f"), InputError);
}
