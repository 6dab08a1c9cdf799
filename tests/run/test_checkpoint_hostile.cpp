// Weights and checkpoints whose metadata was tampered with: InputErrors naming the file.
#include <gtest/gtest.h>

#include "io/safetensors.h"
#include "run/checkpoint.h"
#include "support/temp_dir.h"
#include "tensor/error.h"

using namespace aekit;

namespace {

std::string error_of_input_shape(const std::string& path, const std::string& input_shape) {
  io::TensorFile f;
  f.metadata["input_shape"] = input_shape;
  io::save_safetensors(path, f);
  try {
    run::stored_input_shape(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CheckpointHostile, InputShapeMetadataIsChecked) {
  aekit::testing::ScratchDir d;
  const std::string p = d / "model.safetensors";
  // Deep nesting inside a metadata string (once parsed, a deep tree overflowed the stack).
  EXPECT_NE(error_of_input_shape(p, std::string(200000, '[')).find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_NE(error_of_input_shape(p, "[1, -3]").find("bad input_shape"), std::string::npos);
  EXPECT_NE(error_of_input_shape(p, "[4611686018427387904, 4]").find("too many elements"), std::string::npos);
  EXPECT_NE(error_of_input_shape(p, "{\"a\": 1}").find("bad input_shape"), std::string::npos);
  EXPECT_EQ(error_of_input_shape(p, "[1, 28, 28]"), "");
}
