#include "data/idx.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "data_test_util.h"

namespace aekit::data {
namespace {

using datatest::counting_bytes;
using datatest::expect_input_error;
using datatest::gzip;
using datatest::idx_file;
using datatest::TempDir;
using datatest::write_file;

TEST(DataIdx, ReadsRawFile) {
  TempDir tmp;
  const auto path = write_file(tmp.path("a.idx"), idx_file(0x08, {2, 3, 4}, counting_bytes(24)));
  const IdxArray a = read_idx(path);
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 3, 4}));
  ASSERT_EQ(a.bytes.size(), 24u);
  for (size_t i = 0; i < 24; ++i) EXPECT_EQ(a.bytes[i], i);
}

TEST(DataIdx, ReadsGzipFileWhateverItsName) {
  TempDir tmp;
  const std::string raw = idx_file(0x08, {300, 2}, counting_bytes(600));
  const auto path = write_file(tmp.path("no_gz_suffix.idx"), gzip(raw));
  const IdxArray a = read_idx(path);
  EXPECT_EQ(a.dims, (std::vector<int64_t>{300, 2}));
  EXPECT_EQ(std::string(a.bytes.begin(), a.bytes.end()), counting_bytes(600));
}

TEST(DataIdx, ReadsConcatenatedGzipMembers) {
  TempDir tmp;
  const std::string raw = idx_file(0x08, {1000}, counting_bytes(1000));
  const auto path =
      write_file(tmp.path("two.gz"), gzip(raw.substr(0, 300)) + gzip(raw.substr(300)));
  EXPECT_EQ(read_idx(path).bytes.size(), 1000u);
}

TEST(DataIdx, MissingFile) {
  TempDir tmp;
  const auto path = tmp.path("nope-idx3-ubyte.gz");
  expect_input_error([&] { read_idx(path); }, {path + ": no such file"});
}

TEST(DataIdx, DirectoryInsteadOfFile) {
  TempDir tmp;
  expect_input_error([&] { read_idx(tmp.str()); }, {tmp.str(), "directory"});
}

TEST(DataIdx, WrongMagic) {
  TempDir tmp;
  std::string bytes = idx_file(0x08, {4}, counting_bytes(4));
  bytes[0] = 0x50;  // e.g. a PNG or text file handed over by mistake
  const auto path = write_file(tmp.path("magic"), bytes);
  expect_input_error([&] { read_idx(path); }, {path + ": ", "magic"});
}

TEST(DataIdx, UnsupportedType) {
  TempDir tmp;
  const auto path = write_file(tmp.path("floats"), idx_file(0x0D, {2}, std::string(8, '\0')));
  expect_input_error([&] { read_idx(path); }, {path + ": unsupported IDX data type 0x0D"});
}

TEST(DataIdx, BadRank) {
  TempDir tmp;
  const auto zero = write_file(tmp.path("rank0"), idx_file(0x08, {}, "x"));
  expect_input_error([&] { read_idx(zero); }, {zero + ": ", "rank 0"});
  const auto five = write_file(tmp.path("rank5"), idx_file(0x08, {1, 1, 1, 1, 1}, "x"));
  expect_input_error([&] { read_idx(five); }, {five + ": ", "rank 5"});
}

TEST(DataIdx, ZeroDimension) {
  TempDir tmp;
  const auto path = write_file(tmp.path("zero"), idx_file(0x08, {10, 0, 28}, ""));
  expect_input_error([&] { read_idx(path); }, {path + ": ", "dimension 1 is 0"});
}

TEST(DataIdx, DimensionsOverflow) {
  TempDir tmp;
  const uint32_t big = 0xFFFFFFFFu;
  const auto path = write_file(tmp.path("huge"), idx_file(0x08, {big, big, big}, "x"));
  expect_input_error([&] { read_idx(path); }, {path + ": ", "overflow"});
}

TEST(DataIdx, EmptyFileAndTruncatedHeader) {
  TempDir tmp;
  const auto empty = write_file(tmp.path("empty"), "");
  expect_input_error([&] { read_idx(empty); }, {empty + ": truncated"});
  // Declares 3 dimensions but stops after the first.
  const auto cut = write_file(tmp.path("cut"), idx_file(0x08, {3, 4, 5}, "").substr(0, 8));
  expect_input_error([&] { read_idx(cut); }, {cut + ": truncated: IDX header needs 16 bytes"});
}

TEST(DataIdx, TruncatedPayload) {
  TempDir tmp;
  const auto path = write_file(tmp.path("t"), idx_file(0x08, {100, 28, 28}, counting_bytes(1000)));
  expect_input_error([&] { read_idx(path); },
                     {path + ": truncated: header says 100x28x28 = 78400 bytes, file has 1000"});
}

TEST(DataIdx, TrailingBytes) {
  TempDir tmp;
  const auto path = write_file(tmp.path("t"), idx_file(0x08, {2, 2}, counting_bytes(5)));
  expect_input_error([&] { read_idx(path); },
                     {path + ": trailing data: header says 2x2 = 4 bytes, file has 5"});
}

// Pseudo-random payload bytes: deflate cannot shrink them, so the file spans several of the
// 1 MB pieces the reader inflates from.
std::string incompressible_bytes(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (char& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

TEST(DataIdx, ReadsGzipLargerThanItsReadPieces) {
  TempDir tmp;
  const std::string payload = incompressible_bytes(3000000);
  const std::string first = idx_file(0x08, {3000, 1000}, payload);
  // Two members, the second starting past the first piece: gzip(1) reads them as one stream.
  const std::string gz = gzip(first.substr(0, 2000000)) + gzip(first.substr(2000000));
  ASSERT_GT(gz.size(), 3000000u);
  const auto path = write_file(tmp.path("big.gz"), gz);
  const IdxArray a = read_idx(path);
  EXPECT_EQ(a.dims, (std::vector<int64_t>{3000, 1000}));
  ASSERT_EQ(a.bytes.size(), payload.size());
  EXPECT_TRUE(std::equal(a.bytes.begin(), a.bytes.end(), payload.begin(),
                         [](uint8_t x, char y) { return x == static_cast<uint8_t>(y); }));
  const auto cut = write_file(tmp.path("cut.gz"), gz.substr(0, 1500000));
  expect_input_error([&] { read_idx(cut); }, {cut + ": truncated gzip"});
  const auto junk = write_file(tmp.path("junk.gz"), gz + "junk");
  expect_input_error([&] { read_idx(junk); }, {junk + ": corrupt gzip"});
}

TEST(DataIdx, TruncatedPayloadInsideGzip) {
  TempDir tmp;
  const auto path =
      write_file(tmp.path("t.gz"), gzip(idx_file(0x08, {10, 10}, counting_bytes(99))));
  expect_input_error([&] { read_idx(path); }, {path + ": truncated", "= 100 bytes, file has 99"});
}

TEST(DataIdx, TruncatedGzipStream) {
  TempDir tmp;
  const std::string gz = gzip(idx_file(0x08, {50, 40}, counting_bytes(2000)));
  for (size_t keep : {size_t{2}, size_t{10}, gz.size() / 2, gz.size() - 1}) {
    const auto path = write_file(tmp.path("cut.gz"), gz.substr(0, keep));
    expect_input_error([&] { read_idx(path); }, {path + ": truncated gzip"});
  }
}

TEST(DataIdx, CorruptGzip) {
  TempDir tmp;
  std::string gz = gzip(idx_file(0x08, {50, 40}, counting_bytes(2000)));
  gz[gz.size() - 8] ^= 0x5A;  // CRC-32 of the trailer no longer matches the data
  const auto crc = write_file(tmp.path("crc.gz"), gz);
  expect_input_error([&] { read_idx(crc); }, {crc + ": corrupt gzip"});

  std::string method = gzip(idx_file(0x08, {4}, "abcd"));
  method[2] = 7;  // compression method must be 8 (deflate)
  const auto bad = write_file(tmp.path("method.gz"), method);
  expect_input_error([&] { read_idx(bad); }, {bad + ": corrupt gzip"});

  const auto junk = write_file(tmp.path("junk.gz"), gzip(idx_file(0x08, {4}, "abcd")) + "junk");
  expect_input_error([&] { read_idx(junk); }, {junk + ": corrupt gzip"});
}

}  // namespace
}  // namespace aekit::data
