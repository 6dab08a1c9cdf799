// A full disk is the machine's trouble, not bad input: write_file_atomic's failures end as a
// plain std::runtime_error (CLI exit 1) naming the file; a path the user got wrong stays an
// InputError (exit 2).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "io/atomic_file.h"
#include "support/temp_dir.h"
#include "tensor/error.h"

using namespace aekit;

TEST(AtomicFileErrors, FullDiskIsNotBadInput) {
  ASSERT_TRUE(std::filesystem::exists("/dev/full"));
  aekit::testing::ScratchDir d;
  const std::string path = d / "checkpoint.safetensors";
  // The temp file this process will write is made a link to /dev/full, whose writes fail with
  // ENOSPC: the real write path meets a real "No space left on device".
  std::filesystem::create_symlink("/dev/full", path + ".tmp." + std::to_string(::getpid()));
  try {
    io::write_file_atomic(path, std::string(1 << 16, 'x'));
    FAIL() << "the write to /dev/full succeeded";
  } catch (const InputError& e) {
    FAIL() << "a full disk reported as bad input: " << e.what();
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path + ": write failed (", 0), 0u) << msg;
    EXPECT_NE(msg.find("No space left on device"), std::string::npos) << msg;
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::is_symlink(path + ".tmp." + std::to_string(::getpid())));  // cleaned up
}

TEST(AtomicFileErrors, AMissingFolderIsBadInput) {
  aekit::testing::ScratchDir d;
  try {
    io::write_file_atomic(d / "no/such/folder/f.txt", "x");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(d / "no/such/folder/f.txt: cannot write (", 0), 0u) << e.what();
  }
}
