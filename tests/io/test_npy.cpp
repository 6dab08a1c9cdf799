#include <gtest/gtest.h>

#include "io/atomic_file.h"
#include "io/npy.h"
#include "support/temp_dir.h"
#include "tensor/error.h"

using namespace aekit;

TEST(Npy, RoundTripAndNumpyCompatibleHeader) {
  aekit::testing::ScratchDir d;
  Tensor t({3, 2}, {1, 2, 3, 4, 5, -6});
  io::save_npy(d / "a.npy", t);
  const std::string raw = io::read_file(d / "a.npy");
  EXPECT_EQ((raw.size() - t.size() * 4) % 64, 0u);
  EXPECT_NE(raw.find("'shape': (3,2)"), std::string::npos);
  Tensor u = io::load_npy(d / "a.npy");
  EXPECT_EQ(u.shape(), t.shape());
  for (int i = 0; i < 6; ++i) EXPECT_EQ(u[i], t[i]);
  io::save_npy(d / "v.npy", Tensor({4}));
  EXPECT_EQ(io::load_npy(d / "v.npy").shape(), (Shape{4}));
}

TEST(Npy, RejectsOtherFiles) {
  aekit::testing::ScratchDir d;
  io::write_file_atomic(d / "x.npy", "hello");
  EXPECT_THROW(io::load_npy(d / "x.npy"), InputError);
}

namespace {

std::string npy_with_shape(const std::string& shape, size_t data_bytes) {
  std::string h = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY\x01";
  out += '\0';
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  return out + h + std::string(data_bytes, '\0');
}

}  // namespace

TEST(Npy, HugeShapesAreInputErrorsBeforeAnyAllocation) {
  aekit::testing::ScratchDir d;
  // Overflowing products, a dimension beyond int64 (was std::out_of_range: exit 1) and a shape
  // that fits in int64 but not in memory (was an allocation attempt of 2^62 floats).
  for (const std::string shape : {"4611686018427387904, 4", "99999999999999999999999", "1000000000000000000,"}) {
    io::write_file_atomic(d / "h.npy", npy_with_shape(shape, 16));
    try {
      io::load_npy(d / "h.npy");
      ADD_FAILURE() << shape;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(d / "h.npy: ", 0), 0u) << e.what();
    }
  }
  io::write_file_atomic(d / "ok.npy", npy_with_shape("2, 2", 16));
  EXPECT_EQ(io::load_npy(d / "ok.npy").shape(), (Shape{2, 2}));
}

TEST(Npy, AnAbsurdItemSizeIsAnInputError) {
  // Found by fuzz_npy: a dtype like '<f111...4' made std::stoi throw std::out_of_range (exit 1).
  aekit::testing::ScratchDir d;
  std::string b = npy_with_shape("2", 8);
  const std::string descr = "'<f4'";
  b.replace(b.find(descr), descr.size(), "'<f1111111111111111111111114'");
  io::write_file_atomic(d / "w.npy", b);
  try {
    io::load_npy(d / "w.npy");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(d / "w.npy: unsupported dtype", 0), 0u) << e.what();
  }
}
