#include "data/image_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <omp.h>
#include <stdexcept>

#include "data/unit_pixel.h"
#include "io/atomic_file.h"
#include "io/json_text.h"
#include "kernels/parallel.h"
#include "tensor/error.h"
#include "tensor/format.h"

namespace aekit::data {
namespace {

constexpr char kMagic[8] = {'A', 'E', 'K', 'I', 'T', 'I', 'C', '2'};
constexpr size_t kHeader = 4096;

struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const uint8_t*>(p)[i]) * 1099511628211ull;
  }
  void add(const std::string& s) {
    add(s.data(), s.size());
    add("\0", 1);
  }
  void add(int64_t v) { add(&v, sizeof v); }
};

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// The first-pass progress line: redrawn in place on a terminal, a plain line every 30 s in logs.
class CacheProgress {
 public:
  CacheProgress(int64_t total, bool quiet) : total_(total), quiet_(quiet), tty_(::isatty(2)) {}
  void update(int64_t done, bool final = false) {
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (!final && since < (tty_ ? 0.2 : 30.0)) return;
    last_ = now;
    const double el = std::chrono::duration<double>(now - start_).count();
    const double rate = el > 0 ? done / el : 0;
    std::fprintf(stderr, "%scaching images: %lld/%lld  %.0f images/s  %s %s%s", tty_ ? "\r" : "",
                 static_cast<long long>(done), static_cast<long long>(total_), rate,
                 final ? "took" : "ETA", format_duration(final ? el : rate > 0 ? (total_ - done) / rate : 0).c_str(),
                 tty_ && !final ? "   " : "\n");
    std::fflush(stderr);
  }

 private:
  int64_t total_;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

// Removes the temp file unless committed (an exception or a skipped rename leaves nothing).
struct TempFile {
  std::string path;
  int fd = -1;
  bool committed = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!committed) ::unlink(path.c_str());
  }
  void write_all(const void* p, size_t n) {
    const char* c = static_cast<const char*>(p);
    while (n) {
      const ssize_t w = ::write(fd, c, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw InputError(path + ": write failed (" + std::strerror(errno) + ")");
      c += w, n -= static_cast<size_t>(w);
    }
  }
};

void put64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }
void put32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
uint64_t get64(const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }
uint32_t get32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }

}  // namespace

void preprocess_image(const std::string& path, const ImagePreprocess& pre, uint8_t* out) {
  DecodeOptions d;
  d.channels = pre.channels;
  d.background = pre.background;
  d.max_pixels = pre.max_pixels;
  const RawImage img = resize_image(read_image(path, d), pre.height, pre.width, pre.resize, pre.background);
  const size_t hw = static_cast<size_t>(pre.height) * pre.width;
  for (int c = 0; c < pre.channels; ++c)
    for (size_t i = 0; i < hw; ++i) out[c * hw + i] = img.pixels[i * pre.channels + c];
}

nlohmann::json ImagePreprocess::to_json() const {
  return {{"size", {height, width}},
          {"channels", channels},
          {"resize", resize_policy_name(resize)},
          {"background", {background[0], background[1], background[2]}},
          {"max_pixels", max_pixels}};
}

std::string image_cache_key(const ImageFileList& files, const ImagePreprocess& pre) {
  Fnv h;
  h.add(std::string("aekit-image-cache-2"));
  h.add(pre.to_json().dump());
  for (const ImageFile& f : files) {
    h.add(f.path);
    h.add(f.bytes);
    h.add(f.mtime_ns);
    h.add(static_cast<int64_t>(f.label));
  }
  return hex16(h.h);
}

ImageCache ImageCache::build_or_open(const ImageFileList& files, const ImagePreprocess& pre,
                                     const std::string& cache_path, const CacheBuildOptions& options,
                                     bool* rebuilt) {
  require(pre.channels == 1 || pre.channels == 3, "image channels must be 1 or 3, not " + std::to_string(pre.channels));
  require(pre.height >= 1 && pre.width >= 1, "image size must be positive");
  const std::string key = image_cache_key(files, pre);
  if (std::filesystem::exists(cache_path)) {
    try {
      ImageCache c = open(cache_path);
      if (c.key_ == key) {
        if (rebuilt) *rebuilt = false;
        return c;
      }
    } catch (const InputError&) {
      // a damaged or foreign cache file is simply rebuilt
    }
  }
  if (rebuilt) *rebuilt = true;
  const auto parent = std::filesystem::path(cache_path).parent_path();
  if (!parent.empty()) io::make_dirs(parent.string());

  TempFile tmp{cache_path + ".tmp." + std::to_string(::getpid())};
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (tmp.fd < 0) throw InputError(cache_path + ": cannot write cache (" + std::strerror(errno) + ")");
  std::vector<uint8_t> header(kHeader, 0);
  tmp.write_all(header.data(), header.size());

  const size_t bytes = static_cast<size_t>(pre.channels) * pre.height * pre.width;
  // Decoding runs in chunks on all threads; memory is two chunks of images, whatever N is. While
  // the threads decode chunk k, one of them first writes chunk k - 1 (its pixels to the file, its
  // errors to the list) and then joins the decoding: written in between instead, the chunks kept
  // the other cores idle for ~5 % of W9's pass.
  const int64_t chunk = 256;
  std::vector<uint8_t> bufs[2] = {std::vector<uint8_t>(chunk * bytes), std::vector<uint8_t>(chunk * bytes)};
  std::vector<std::string> errors[2] = {std::vector<std::string>(chunk), std::vector<std::string>(chunk)};
  std::vector<int64_t> kept_files;  // indices into files
  std::vector<std::string> skipped;
  CacheProgress progress(static_cast<int64_t>(files.size()), options.quiet);
  int64_t kept = 0;
  const int64_t n = static_cast<int64_t>(files.size());
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  off_t synced = 0;
  std::exception_ptr failure;  // the first write or bad-file error; thrown after the region
  // Set when the writer fails; every thread still runs every iteration (an early exit decided by
  // a flag another thread may set meanwhile split the team over two barriers: a hang), only the
  // decoding is skipped from then on.
  std::atomic<bool> failed = false;
  auto write_chunk = [&](int64_t lo) {
    const int64_t m = std::min(chunk, n - lo);
    const std::vector<uint8_t>& buf = bufs[(lo / chunk) % 2];
    const std::vector<std::string>& err = errors[(lo / chunk) % 2];
    for (int64_t i = 0; i < m; ++i) {
      if (!err[i].empty()) {
        if (!options.skip_bad) throw InputError(err[i]);
        skipped.push_back(err[i]);
        continue;
      }
      tmp.write_all(buf.data() + i * bytes, bytes);
      kept_files.push_back(lo + i);
      ++kept;
    }
    // Start writing this chunk to disk now (asynchronously), so the fsync before the rename
    // waits for the last chunk only.
    const off_t written = static_cast<off_t>(kHeader + static_cast<uint64_t>(kept) * bytes);
    ::sync_file_range(tmp.fd, synced, written - synced, SYNC_FILE_RANGE_WRITE);
    synced = written;
    progress.update(lo + m);
  };
#pragma omp parallel num_threads(threads)
  for (int64_t lo = 0; lo < n + chunk; lo += chunk) {
    if (lo >= chunk) {
#pragma omp single nowait
      {
        if (!failed) {
          try {
            write_chunk(lo - chunk);
          } catch (...) {
            failure = std::current_exception();
            failed = true;
          }
        }
      }
    }
    if (lo < n) {
      const int64_t m = std::min(chunk, n - lo);
      uint8_t* buf = bufs[(lo / chunk) % 2].data();
      std::vector<std::string>& err = errors[(lo / chunk) % 2];
#pragma omp for schedule(dynamic, 4) nowait
      for (int64_t i = 0; i < m; ++i) {
        if (failed) continue;
        err[i].clear();
        try {
          preprocess_image(files.path(static_cast<size_t>(lo + i)), pre, buf + i * bytes);
        } catch (const std::exception& e) {
          err[i] = e.what();
          if (err[i].empty()) err[i] = files.path(static_cast<size_t>(lo + i)) + ": unreadable";
        }
      }
    }
#pragma omp barrier
  }
  if (failure) std::rethrow_exception(failure);
  progress.update(n, true);
  if (kept == 0) throw InputError(cache_path + ": no image could be decoded (" + std::to_string(skipped.size()) + " skipped)");

  // The file list: labels, then where each path ends, then the paths, written in blocks.
  std::vector<uint8_t> block;
  auto flush = [&](bool final) {
    if (block.size() >= (1u << 20) || (final && !block.empty())) tmp.write_all(block.data(), block.size()), block.clear();
  };
  auto put = [&](const void* p, size_t n) {
    block.insert(block.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
    flush(false);
  };
  for (int64_t f : kept_files) {
    const int32_t label = files.label(static_cast<size_t>(f));
    put(&label, 4);
  }
  uint64_t end = 0;
  for (int64_t f : kept_files) {
    end += files.path(static_cast<size_t>(f)).size();
    put(&end, 8);
  }
  for (int64_t f : kept_files) {
    const std::string path = files.path(static_cast<size_t>(f));
    put(path.data(), path.size());
  }
  flush(true);
  const nlohmann::json trailer = {{"key", key}, {"skipped", skipped}, {"preprocess", pre.to_json()}};
  const std::string text = trailer.dump();
  tmp.write_all(text.data(), text.size());
  std::memcpy(header.data(), kMagic, 8);
  put64(header.data() + 8, kHeader + static_cast<uint64_t>(kept) * (bytes + 12) + end);
  put64(header.data() + 16, text.size());
  put64(header.data() + 24, static_cast<uint64_t>(kept));
  put32(header.data() + 32, pre.channels);
  put32(header.data() + 36, pre.height);
  put32(header.data() + 40, pre.width);
  put64(header.data() + 48, kHeader + static_cast<uint64_t>(kept) * bytes);
  if (::pwrite(tmp.fd, header.data(), 56, 0) != 56 || ::fsync(tmp.fd) != 0)
    throw InputError(cache_path + ": write failed (" + std::strerror(errno) + ")");
  ::close(tmp.fd);
  tmp.fd = -1;
  if (::rename(tmp.path.c_str(), cache_path.c_str()) != 0)
    throw InputError(cache_path + ": cannot replace (" + std::strerror(errno) + ")");
  tmp.committed = true;
  return open(cache_path);
}

ImageCache ImageCache::open(const std::string& cache_path) {
  const int fd = ::open(cache_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(cache_path + ": cannot open cache (" + std::strerror(errno) + ")");
  struct stat st{};
  ::fstat(fd, &st);
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < kHeader) {
    ::close(fd);
    throw InputError(cache_path + ": not an aekit image cache (too short)");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw InputError(cache_path + ": cannot map cache (" + std::strerror(errno) + ")");
  ::madvise(map, size, MADV_RANDOM);  // shuffled reads: no readahead
  ImageCache c;
  c.map_ = map;
  c.map_bytes_ = size;
  c.path_ = cache_path;
  const auto* p = static_cast<const uint8_t*>(map);
  if (std::memcmp(p, kMagic, 8) != 0) throw InputError(cache_path + ": not an aekit image cache");
  const uint64_t at = get64(p + 8), len = get64(p + 16), list = get64(p + 48);
  c.n_ = static_cast<int64_t>(get64(p + 24));
  c.channels_ = get32(p + 32), c.height_ = get32(p + 36), c.width_ = get32(p + 40);
  auto damaged = [&](const std::string& why) { return InputError(cache_path + ": damaged aekit image cache (" + why + ")"); };
  const uint64_t pixels = static_cast<uint64_t>(c.channels_) * c.height_ * c.width_;
  if (c.n_ <= 0 || c.n_ > static_cast<int64_t>(size / 12) || pixels == 0 || pixels > size ||
      list != kHeader + static_cast<uint64_t>(c.n_) * pixels || list + 12 * static_cast<uint64_t>(c.n_) > size)
    throw damaged("sizes disagree");
  c.labels_.resize(static_cast<size_t>(c.n_));
  std::memcpy(c.labels_.data(), p + list, 4 * c.labels_.size());
  c.path_ends_ = p + list + 4 * c.n_;
  c.paths_ = p + list + 12 * c.n_;
  uint64_t prev = 0;
  for (int64_t i = 0; i < c.n_; ++i) {
    const uint64_t e = get64(c.path_ends_ + 8 * i);
    if (e < prev) throw damaged("file list");
    prev = e;
  }
  if (at != list + 12 * static_cast<uint64_t>(c.n_) + prev || at > size || len != size - at) throw damaged("sizes disagree");
  try {
    const auto j = io::parse_json(std::string(reinterpret_cast<const char*>(p + at), len), cache_path);
    c.key_ = j.at("key").get<std::string>();
    c.skipped_ = j.at("skipped").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw damaged(e.what());
  }
  return c;
}

ImageCache::ImageCache(ImageCache&& o) noexcept { *this = std::move(o); }
ImageCache& ImageCache::operator=(ImageCache&& o) noexcept {
  if (this != &o) {
    if (map_) ::munmap(map_, map_bytes_);
    path_ = std::move(o.path_), key_ = std::move(o.key_);
    n_ = o.n_, channels_ = o.channels_, height_ = o.height_, width_ = o.width_;
    skipped_ = std::move(o.skipped_), labels_ = std::move(o.labels_);
    path_ends_ = o.path_ends_, paths_ = o.paths_;
    map_ = o.map_, map_bytes_ = o.map_bytes_, since_release_ = o.since_release_;
    o.map_ = nullptr, o.map_bytes_ = 0;
  }
  return *this;
}
ImageCache::~ImageCache() {
  if (map_) ::munmap(map_, map_bytes_);
}

const uint8_t* ImageCache::image(int64_t i) const {
  if (i < 0 || i >= n_) throw std::out_of_range("ImageCache: index " + std::to_string(i) + " outside [0, " + std::to_string(n_) + ")");
  return static_cast<const uint8_t*>(map_) + kHeader + static_cast<size_t>(i) * channels_ * height_ * width_;
}

std::string ImageCache::file(int64_t i) const {
  if (i < 0 || i >= n_) throw std::out_of_range("ImageCache: file " + std::to_string(i) + " outside [0, " + std::to_string(n_) + ")");
  const uint64_t begin = i == 0 ? 0 : get64(path_ends_ + 8 * (i - 1)), end = get64(path_ends_ + 8 * i);
  return std::string(reinterpret_cast<const char*>(paths_) + begin, end - begin);
}

void ImageCache::read_ahead(std::span<const int64_t> idx) const {
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const size_t bytes = static_cast<size_t>(channels_) * height_ * width_;
  for (int64_t i : idx) {
    if (i < 0 || i >= n_) continue;
    const uintptr_t begin = reinterpret_cast<uintptr_t>(image(i)), start = begin & ~(page - 1);
    ::madvise(reinterpret_cast<void*>(start), begin + bytes - start, MADV_WILLNEED);
  }
}

void ImageCache::gather(std::span<const int64_t> idx, Tensor& dst) const {
  const size_t bytes = static_cast<size_t>(channels_) * height_ * width_;
  for (int64_t i : idx) image(i);  // bounds first, before dst changes
  dst.resize({static_cast<int64_t>(idx.size()), channels_, height_, width_});
  kernels::parallel_for(static_cast<int64_t>(idx.size()), 4, [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; ++r) {
      const uint8_t* from = image(idx[r]);
      float* to = dst.data() + r * bytes;
      for (size_t k = 0; k < bytes; ++k) to[k] = unit_pixel(from[k]);
    }
  });
  since_release_ += static_cast<int64_t>(idx.size());
  if (since_release_ >= kReleaseEvery) {
    ::madvise(map_, map_bytes_, MADV_DONTNEED);
    since_release_ = 0;
  }
}

}  // namespace aekit::data
