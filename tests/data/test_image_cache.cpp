#include "data/image_cache.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <filesystem>
#include <set>
#include <thread>

#include "image_test_util.h"
#include "io/atomic_file.h"

namespace aekit::data {
namespace {
using namespace datatest;
namespace fs = std::filesystem;

ImageFolderOptions no_split() {
  ImageFolderOptions o;
  o.test_fraction = 0;
  return o;
}
CacheBuildOptions quiet(bool skip_bad = false) {
  CacheBuildOptions o;
  o.quiet = true;
  o.skip_bad = skip_bad;
  return o;
}
ImagePreprocess prep(int h, int w, int channels = 3) {
  ImagePreprocess p;
  p.height = h, p.width = w, p.channels = channels;
  return p;
}

struct Folder {
  TempDir dir;
  ImageFileList files() const { return scan_image_folder(dir.str(), no_split()).train; }
};

void make_set(const TempDir& d, int n) {
  for (int i = 0; i < n; ++i) {
    const std::string cls = i % 2 ? "b" : "a";
    fs::create_directories(d.path(cls));
    const int w = 10 + i, h = 8 + 2 * i;  // mixed sizes
    const std::string name = d.path(cls + "/" + std::to_string(i) + (i % 3 == 0 ? ".jpg" : ".png"));
    write_file(name, i % 3 == 0 ? jpeg_bytes(w, h, 3, pattern_rgb(w, h, i)) : png_rgb8(w, h, pattern_rgb(w, h, i)));
  }
}

TEST(ImageCache, HoldsEachImageDecodedAndResizedInChwOrder) {
  Folder f;
  make_set(f.dir, 5);
  const auto files = f.files();
  ImagePreprocess pre = prep(6, 7);
  TempDir cache_dir;
  bool rebuilt = false;
  const ImageCache c = ImageCache::build_or_open(files, pre, cache_dir.path("c.u8"), quiet(), &rebuilt);
  EXPECT_TRUE(rebuilt);
  ASSERT_EQ(c.size(), 5);
  EXPECT_EQ(c.sample_shape(), (Shape{3, 6, 7}));
  for (int64_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(c.file(i), files[i].path);
    EXPECT_EQ(c.labels()[i], files[i].label);
    const RawImage ref = resize_image(read_image(files[i].path), 6, 7, ResizePolicy::fit_crop);
    for (int ch = 0; ch < 3; ++ch)
      for (int p = 0; p < 42; ++p) ASSERT_EQ(c.image(i)[ch * 42 + p], ref.pixels[p * 3 + ch]) << i << " " << ch << " " << p;
  }
  Tensor batch;
  const std::vector<int64_t> idx = {4, 0};
  c.gather(idx, batch);
  EXPECT_EQ(batch.shape(), (Shape{2, 3, 6, 7}));
  EXPECT_FLOAT_EQ(batch.data()[0], c.image(4)[0] / 255.0f);
  EXPECT_FLOAT_EQ(batch.data()[126 + 5], c.image(0)[5] / 255.0f);
  EXPECT_THROW(c.gather(std::vector<int64_t>{5}, batch), std::out_of_range);
}

TEST(ImageCache, IsReusedUntilAFileOrThePreprocessingChanges) {
  Folder f;
  make_set(f.dir, 4);
  TempDir cache_dir;
  const std::string path = cache_dir.path("c.u8");
  ImagePreprocess pre = prep(4, 4, 1);
  bool rebuilt = false;
  ImageCache::build_or_open(f.files(), pre, path, quiet(), &rebuilt);
  EXPECT_TRUE(rebuilt);
  ImageCache::build_or_open(f.files(), pre, path, quiet(), &rebuilt);
  EXPECT_FALSE(rebuilt);
  pre.resize = ResizePolicy::pad;
  ImageCache::build_or_open(f.files(), pre, path, quiet(), &rebuilt);
  EXPECT_TRUE(rebuilt) << "another resize policy must not reuse the cache";
  // Rewrite one file (other content, other size): the key sees size and mtime.
  const auto files = f.files();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_file(files[1].path, png_rgb8(30, 30, pattern_rgb(30, 30, 99)));
  ImageCache::build_or_open(f.files(), pre, path, quiet(), &rebuilt);
  EXPECT_TRUE(rebuilt) << "a changed file must rebuild the cache";
  // No temp files are left behind.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(cache_dir.str())) {
    ++entries;
    EXPECT_EQ(e.path().filename(), "c.u8");
  }
  EXPECT_EQ(entries, 1);
}

TEST(ImageCache, ACorruptImageStopsTheBuildAndLeavesNoFile) {
  Folder f;
  make_set(f.dir, 3);
  const std::string jpg = jpeg_bytes(128, 128, 3, pattern_rgb(128, 128));
  write_file(f.dir.path("a/cut.jpg"), jpg.substr(0, jpg.size() * 3 / 4));  // past the headers
  write_file(f.dir.path("b/huge.png"), [] {
    std::string s = png_rgb8(2, 2, pattern_rgb(2, 2));
    for (int at : {16, 20}) s[at] = 0, s[at + 1] = 0x01, s[at + 2] = static_cast<char>(0x86), s[at + 3] = static_cast<char>(0xA0);
    const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(s.data() + 12), 17));
    for (int i = 0; i < 4; ++i) s[29 + i] = static_cast<char>(crc >> (24 - 8 * i));
    return s;
  }());
  TempDir cache_dir;
  const std::string path = cache_dir.path("c.u8");
  ImagePreprocess pre = prep(4, 4);
  expect_input_error([&] { ImageCache::build_or_open(f.files(), pre, path, quiet()); }, {"cut.jpg", "truncated JPEG"});
  EXPECT_TRUE(fs::is_empty(cache_dir.str())) << "a failed build must leave nothing behind";
  const ImageCache c = ImageCache::build_or_open(f.files(), pre, path, quiet(true));
  EXPECT_EQ(c.size(), 3);
  ASSERT_EQ(c.skipped().size(), 2u);
  EXPECT_NE(c.skipped()[0].find("cut.jpg"), std::string::npos);
  EXPECT_NE(c.skipped()[1].find("huge.png"), std::string::npos);
  EXPECT_NE(c.skipped()[1].find("100000x100000"), std::string::npos);
  // Reopened from disk, the skipped list is still there (for the run folder).
  EXPECT_EQ(ImageCache::open(path).skipped(), c.skipped());
}

TEST(ImageCache, ADamagedCacheFileIsRebuiltNotTrusted) {
  Folder f;
  make_set(f.dir, 2);
  TempDir cache_dir;
  const std::string path = cache_dir.path("c.u8");
  ImagePreprocess pre = prep(4, 4);
  ImageCache::build_or_open(f.files(), pre, path, quiet());
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 10);
  expect_input_error([&] { ImageCache::open(path); }, {path, "damaged"});
  bool rebuilt = false;
  EXPECT_EQ(ImageCache::build_or_open(f.files(), pre, path, quiet(), &rebuilt).size(), 2);
  EXPECT_TRUE(rebuilt);
  write_file(path, "junk");
  expect_input_error([&] { ImageCache::open(path); }, {path, "not an aekit image cache"});
}

// Chunks of 256 are decoded while the previous one is written: across chunk boundaries the kept
// images stay in order with their files, bad files are skipped where they are, and without
// skip_bad the first bad file stops the build (it hung once: the team split over two barriers).
TEST(ImageCache, ChunksAreWrittenInOrderAcrossBoundaries) {
  Folder f;
  fs::create_directories(f.dir.path("c"));
  const std::set<int> bad = {3, 255, 256, 511};
  for (int i = 0; i < 600; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "c/%04d.png", i);
    write_file(f.dir.path(name), bad.count(i) ? std::string("not a png at all") : png_rgb8(4, 4, pattern_rgb(4, 4, i)));
  }
  TempDir cache_dir;
  const ImagePreprocess pre = prep(4, 4);
  const auto files = f.files();
  expect_input_error([&] { ImageCache::build_or_open(files, pre, cache_dir.path("a.u8"), quiet()); }, {"0003.png"});
  const ImageCache c = ImageCache::build_or_open(files, pre, cache_dir.path("b.u8"), quiet(true));
  ASSERT_EQ(c.size(), 596);
  ASSERT_EQ(c.skipped().size(), 4u);
  int64_t k = 0;
  for (int i = 0; i < 600; ++i) {
    if (bad.count(i)) continue;
    ASSERT_EQ(c.file(k), files[static_cast<size_t>(i)].path);
    const std::vector<uint8_t> want = pattern_rgb(4, 4, i);
    for (int p = 0; p < 16; ++p) ASSERT_EQ(c.image(k)[p], want[p * 3]) << i;  // channel 0 plane
    ++k;
  }
}

// The file list is read from the mapping: an end offset out of order, or one pointing past the
// trailer, is refused rather than read.
TEST(ImageCache, ADamagedFileListIsRefused) {
  Folder f;
  make_set(f.dir, 3);
  TempDir cache_dir;
  const std::string path = cache_dir.path("c.u8");
  const ImagePreprocess pre = prep(4, 4);
  const ImageCache good = ImageCache::build_or_open(f.files(), pre, path, quiet());
  EXPECT_EQ(good.file(2), f.files()[2].path);
  const std::string bytes = io::read_file(path);
  const size_t ends = 4096 + 3 * 48 + 3 * 4;  // after the pixels and the labels
  for (const uint64_t bad_end : {uint64_t{0}, uint64_t{1} << 40}) {
    std::string damaged = bytes;
    std::memcpy(damaged.data() + ends + 8, &bad_end, 8);  // the second path's end
    write_file(path, damaged);
    expect_input_error([&] { ImageCache::open(path); }, {path, "damaged"});
  }
}

}  // namespace
}  // namespace aekit::data

namespace aekit::data {
namespace {

// Pages of image i of c in the page cache, and its pages in all.
std::pair<int, int> resident_pages(const ImageCache& c, int64_t i) {
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t begin = reinterpret_cast<uintptr_t>(c.image(i)), start = begin & ~(page - 1);
  const size_t bytes = begin + 64 * 64 * 3 - start, pages = (bytes + page - 1) / page;
  std::vector<unsigned char> in(pages);
  EXPECT_EQ(::mincore(reinterpret_cast<void*>(start), bytes, in.data()), 0);
  int n = 0;
  for (unsigned char v : in) n += v & 1;
  return {n, static_cast<int>(pages)};
}

// read_ahead asks the kernel for the images' pages without reading them itself: once the file is
// out of the page cache, the pages of the images named come back in, those of the others do not
// have to; indices outside the cache are ignored.
TEST(ImageCache, ReadAheadBringsTheNamedImagesIntoThePageCache) {
  Folder f;
  make_set(f.dir, 48);
  TempDir cache_dir;
  const std::string path = cache_dir.path("c.u8");
  const ImageCache c = ImageCache::build_or_open(f.files(), prep(64, 64), path, quiet());
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
  if (resident_pages(c, 40).first > 0 || resident_pages(c, 41).first > 0)
    GTEST_SKIP() << "this filesystem keeps the file in memory: nothing to read ahead";
  const std::vector<int64_t> ask = {40, 41, -1, 48, 1000};
  c.read_ahead(ask);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto all_in = [&] {
    for (int64_t i : {40, 41}) {
      const auto [in, pages] = resident_pages(c, i);
      if (in < pages) return false;
    }
    return true;
  };
  while (!all_in() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(all_in()) << "images 40 and 41 were not read in";
}

}  // namespace
}  // namespace aekit::data
