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
