#include "data/array_dataset.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <minizip/zip.h>

#include "data_test_util.h"
#include "io/atomic_file.h"

namespace aekit::data {
namespace {
using namespace datatest;

// .npy bytes written by hand: version 1.0 header padded to 64 bytes.
std::string npy(const std::string& descr, const std::string& shape, const std::string& payload) {
  std::string h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string s = "\x93NUMPY";
  s += '\x01';
  s += '\x00';
  s += static_cast<char>(h.size() & 0xFF);
  s += static_cast<char>(h.size() >> 8);
  return s + h + payload;
}

template <class T>
std::string raw(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// A zip of members, deflated when compress (as np.savez_compressed) or stored (np.savez).
void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& members, bool compress) {
  zipFile z = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  ASSERT_NE(z, nullptr);
  for (const auto& [name, bytes] : members) {
    zip_fileinfo info{};
    ASSERT_EQ(zipOpenNewFileInZip64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                    compress ? Z_DEFLATED : 0, compress ? 6 : 0, 0), ZIP_OK);
    zipWriteInFileInZip(z, bytes.data(), static_cast<unsigned>(bytes.size()));
    zipCloseFileInZip(z);
  }
  zipClose(z, nullptr);
}

ArrayOptions labels_file(const std::string& path) {
  ArrayOptions o;
  o.labels_path = path;
  return o;
}

TEST(ArrayDataset, Uint8NpyIsScaledToUnitRange) {
  TempDir d;
  write_file(d.path("x.npy"), npy("|u1", "(2, 1, 2)", std::string("\x00\xff\x33\x80", 4)));
  const ArrayData a = load_array_data(d.path("x.npy"));
  EXPECT_EQ(a.x.shape(), (Shape{2, 1, 2}));
  EXPECT_FLOAT_EQ(a.x.data()[1], 1.0f);
  EXPECT_FLOAT_EQ(a.x.data()[2], 0x33 / 255.0f);
  EXPECT_TRUE(a.labels.empty());
}

TEST(ArrayDataset, Float32NpyWithSeparateLabels) {
  TempDir d;
  write_file(d.path("x.npy"), npy("<f4", "(3, 2)", raw<float>({1, 2, 3, 4, 5, -6.5f})));
  write_file(d.path("y.npy"), npy("<i8", "(3,)", raw<int64_t>({2, 0, 1})));
  const ArrayData a = load_array_data(d.path("x.npy"), labels_file(d.path("y.npy")));
  EXPECT_EQ(a.x.shape(), (Shape{3, 2}));
  EXPECT_FLOAT_EQ(a.x.data()[5], -6.5f);
  EXPECT_EQ(a.labels, (std::vector<int>{2, 0, 1}));
  write_file(d.path("y2.npy"), npy("<i8", "(2,)", raw<int64_t>({2, 0})));
  expect_input_error([&] { load_array_data(d.path("x.npy"), labels_file(d.path("y2.npy"))); }, {"y2.npy", "expected [3]"});
}

TEST(ArrayDataset, NpzPlainAndCompressedWithLabelsFoundByName) {
  TempDir d;
  const std::string x = npy("<f4", "(2, 2)", raw<float>({0.5f, 1, 2, 3}));
  const std::string y = npy("|u1", "(2,)", std::string("\x01\x00", 2));
  for (bool compress : {false, true}) {
    const std::string path = d.path(compress ? "c.npz" : "s.npz");
    write_zip(path, {{"x.npy", x}, {"labels.npy", y}}, compress);
    const ArrayData a = load_array_data(path);
    EXPECT_EQ(a.x.shape(), (Shape{2, 2}));
    EXPECT_FLOAT_EQ(a.x.data()[0], 0.5f);
    EXPECT_EQ(a.labels, (std::vector<int>{1, 0}));
  }
  expect_input_error([&] { ArrayOptions o;
    o.key = "images";
    load_array_data(d.path("s.npz"), o);; }, {"s.npz", "no array 'images'", "labels, x"});
}

// A member whose header declares 3 GB for a few bytes (the fuzzer's find): refused as damaged, and
// memory grows only with the data that really arrives, not with the declared size.
TEST(ArrayDataset, NpzMemberDeclaringMoreThanItHoldsIsRefusedWithoutAllocatingIt) {
  TempDir d;
  const std::string path = d.path("liar.npz");
  write_zip(path, {{"x.npy", npy("<f4", "(2,)", raw<float>({1, 2}))}}, false);
  std::string zip = io::read_file(path);
  const uint32_t huge = 0xC0000000u;  // 3 GiB
  auto patch = [&](size_t at) { std::memcpy(&zip[at], &huge, sizeof huge); };  // little-endian, as zip
  patch(22);  // the local header's uncompressed size
  const size_t central = zip.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(central, std::string::npos);
  patch(central + 24);  // the central directory's
  write_file(path, zip);
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  expect_input_error([&] { load_array_data(path); }, {"liar.npz", "damaged or truncated"});
  getrusage(RUSAGE_SELF, &after);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 256 * 1024) << "peak RSS grew by " << (after.ru_maxrss - before.ru_maxrss) << " KB";
}

TEST(ArrayDataset, BadArraysAreErrorsNamingTheFile) {
  TempDir d;
  write_file(d.path("nan.npy"), npy("<f4", "(1, 2)", raw<float>({1, std::numeric_limits<float>::quiet_NaN()})));
  expect_input_error([&] { load_array_data(d.path("nan.npy")); }, {"nan.npy", "non-finite"});
  write_file(d.path("short.npy"), npy("<f4", "(4, 2)", raw<float>({1, 2})));
  expect_input_error([&] { load_array_data(d.path("short.npy")); }, {"short.npy", "does not match shape"});
  write_file(d.path("str.npy"), npy("<U3", "(1,)", "abcabcabcabc"));
  expect_input_error([&] { load_array_data(d.path("str.npy")); }, {"str.npy", "dtype"});
  write_file(d.path("empty.npy"), npy("<f4", "(0, 3)", ""));
  expect_input_error([&] { load_array_data(d.path("empty.npy")); }, {"empty.npy", "N = 0"});
  write_file(d.path("bad.npz"), "PK not really");
  expect_input_error([&] { load_array_data(d.path("bad.npz")); }, {"bad.npz"});
  expect_input_error([&] { load_array_data(d.path("x.csv")); }, {"x.csv", ".npy or .npz"});
}

}  // namespace
}  // namespace aekit::data
