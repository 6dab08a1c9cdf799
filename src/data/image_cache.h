// A compact uint8 cache of decoded, resized images, so a folder of any size is decoded once and
// training then reads batches from a memory-mapped file instead of holding the split in memory.
//
// File layout (little-endian): a 4096-byte header block ("AEKITIC2", u64 trailer offset, u64
// trailer length, u64 N, u32 C, H, W, u64 file-list offset), then N images of C*H*W bytes each
// in [C,H,W] order, then the file list (N i32 labels, N u64 ends of the paths, the paths' bytes),
// then a JSON trailer {"key", "skipped", "preprocess"}. The list is read from the mapping, not
// copied: a 250,000-file cache costs 1 MB of labels in memory, not the list. The key hashes every
// file's path, size and mtime with the preprocessing, so the cache is rebuilt exactly when
// something changed. It is written to "<path>.tmp.<pid>" and renamed when complete: an
// interrupted build leaves no half-written cache behind.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <vector>

#include "data/image_folder.h"
#include "data/image_resize.h"
#include "data/sample_source.h"

namespace aekit::data {

struct ImagePreprocess {
  int height = 64, width = 64;
  int channels = 3;
  ResizePolicy resize = ResizePolicy::fit_crop;
  std::array<uint8_t, 3> background = {255, 255, 255};
  int64_t max_pixels = int64_t{1} << 26;  // header limit, see DecodeOptions

  nlohmann::json to_json() const;
};

// One file decoded and resized as the cache stores it: C*H*W bytes in [C,H,W] order into out.
// InputError naming the file when it cannot be decoded.
void preprocess_image(const std::string& path, const ImagePreprocess& pre, uint8_t* out);

// The key of files + preprocessing (16 hex digits).
std::string image_cache_key(const ImageFileList& files, const ImagePreprocess& pre);

struct CacheBuildOptions {
  bool skip_bad = false;  // false: the first undecodable file is an InputError naming it
  bool quiet = false;     // no progress line
  int threads = 0;        // decoding threads; 0 = OpenMP's default
};

class ImageCache final : public SampleSource {
 public:
  // Opens cache_path when it holds the key of (files, pre); otherwise decodes and resizes every
  // file into it (progress on stderr: count, images/s, ETA). *rebuilt (if given) says which.
  static ImageCache build_or_open(const ImageFileList& files, const ImagePreprocess& pre,
                                  const std::string& cache_path, const CacheBuildOptions& options = {},
                                  bool* rebuilt = nullptr);
  // Maps an existing cache; InputError naming the path if it is not a complete cache file.
  static ImageCache open(const std::string& cache_path);

  ImageCache(ImageCache&& other) noexcept;
  ImageCache& operator=(ImageCache&& other) noexcept;
  ImageCache(const ImageCache&) = delete;
  ImageCache& operator=(const ImageCache&) = delete;
  ~ImageCache() override;

  int64_t size() const override { return n_; }
  Shape sample_shape() const override { return {channels_, height_, width_}; }
  // uint8 -> float / 255 for the batch only. Every kReleaseEvery images gathered, the whole
  // mapping is released (madvise DONTNEED: the file stays in the page cache, this process's
  // mapping of it is dropped), so the resident set stays bounded however large the file is.
  // Releasing only the pages just read is not enough: the kernel's fault-around maps ~16
  // neighbouring pages per fault, and with shuffled reads those accumulate (1.8 GB measured on
  // a 3 GB cache).
  void gather(std::span<const int64_t> idx, Tensor& dst) const override;
  // madvise(MADV_WILLNEED) over each image's bytes: the kernel starts reading them from disk
  // into the page cache and returns at once (nothing to do when they are cached already).
  void read_ahead(std::span<const int64_t> idx) const override;

  const uint8_t* image(int64_t i) const;  // C*H*W bytes
  const std::string& key() const { return key_; }
  std::string file(int64_t i) const;  // the path of image i (the kept files, in order)
  const std::vector<int>& labels() const { return labels_; }        // -1 when unlabelled
  const std::vector<std::string>& skipped() const { return skipped_; }
  const std::string& path() const { return path_; }

 private:
  ImageCache() = default;
  static constexpr int64_t kReleaseEvery = 256;

  std::string path_, key_;
  int64_t n_ = 0, channels_ = 0, height_ = 0, width_ = 0;
  std::vector<std::string> skipped_;
  const uint8_t* path_ends_ = nullptr;  // in the mapping: N u64
  const uint8_t* paths_ = nullptr;
  std::vector<int> labels_;
  void* map_ = nullptr;
  size_t map_bytes_ = 0;
  mutable int64_t since_release_ = 0;  // gather is called by one thread at a time (one loader)
};

}  // namespace aekit::data
