#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "tensor/error.h"

using namespace aekit;

TEST(Safetensors, RoundTripIsBitExact) {
  io::TensorFile f;
  f.tensors["a.weight"] = Tensor({2, 3}, {1, -2, 3.5f, 1e-30f, -0.0f, 7});
  f.tensors["b"] = Tensor({0});
  f.metadata["config"] = "{\"x\": 1}";
  io::TensorFile g = io::decode_safetensors(io::encode_safetensors(f), "mem");
  ASSERT_EQ(g.tensors.size(), 2u);
  EXPECT_EQ(g.tensors["a.weight"].shape(), (Shape{2, 3}));
  EXPECT_EQ(std::memcmp(g.tensors["a.weight"].data(), f.tensors["a.weight"].data(), 6 * sizeof(float)), 0);
  EXPECT_EQ(g.metadata["config"], "{\"x\": 1}");
}

TEST(Safetensors, DataIsEightByteAligned) {
  io::TensorFile f;
  f.tensors["w"] = Tensor({1}, {1});
  std::string s = io::encode_safetensors(f);
  uint64_t n = 0;
  std::memcpy(&n, s.data(), 8);
  EXPECT_EQ((8 + n) % 8, 0u);
}

TEST(Safetensors, CorruptFilesAreInputErrors) {
  EXPECT_THROW(io::decode_safetensors("abc", "x"), InputError);
  std::string huge(8, '\xff');
  EXPECT_THROW(io::decode_safetensors(huge + "{}", "x"), InputError);
  io::TensorFile f;
  f.tensors["w"] = Tensor({4});
  std::string s = io::encode_safetensors(f);
  EXPECT_THROW(io::decode_safetensors(s.substr(0, s.size() - 4), "x"), InputError);  // truncated data
  try {
    io::decode_safetensors(s.substr(0, 20), "/some/file.safetensors");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/some/file.safetensors: ", 0), 0u) << e.what();
  }
}

TEST(AtomicFile, ReplacesWholeAndLeavesNoTemp) {
  auto dir = std::filesystem::temp_directory_path() / ("aekit_atomic_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "f.txt").string();
  io::write_file_atomic(path, "first");
  io::write_file_atomic(path, "second");
  EXPECT_EQ(io::read_file(path), "second");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  EXPECT_THROW(io::write_file_atomic((dir / "missing/f.txt").string(), "x"), InputError);
  std::filesystem::remove_all(dir);
}
