#include "data/image_folder_dataset.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tensor/error.h"

namespace aekit::data {
namespace {

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/aekit/images";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/aekit/images";
  return std::filesystem::temp_directory_path().string() + "/aekit-images";
}

std::string folder_tag(const std::string& path) {
  const std::string abs = std::filesystem::absolute(path).lexically_normal().string();
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : abs) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::filesystem::path(abs).filename().string() + "-" + buf;
}

}  // namespace

ImageFolderData load_image_folder(const ImageFolderSource& src) {
  const ImageFolderScan scan = scan_image_folder(src.path, src.split);
  const std::string dir = src.cache_dir.empty() ? default_cache_dir() : src.cache_dir;
  const std::string base = dir + "/" + folder_tag(src.path);
  CacheBuildOptions build;
  build.skip_bad = src.split.skip_bad;
  build.quiet = src.quiet;
  ImageCache train = ImageCache::build_or_open(scan.train, src.preprocess, base + "-train.u8", build);
  std::optional<ImageCache> test;
  if (!scan.test.empty()) test = ImageCache::build_or_open(scan.test, src.preprocess, base + "-test.u8", build);
  ImageFolderData d{scan.classes, std::move(train), std::move(test), scan.skipped};
  for (const auto& s : d.train.skipped()) d.skipped.push_back(s);
  if (d.test)
    for (const auto& s : d.test->skipped()) d.skipped.push_back(s);
  if (!d.skipped.empty())
    std::fprintf(stderr, "warning: %s: skipped %zu bad file(s) (--skip-bad); first: %s\n", src.path.c_str(),
                 d.skipped.size(), d.skipped.front().c_str());
  return d;
}

std::string ImageFolderData::record_text(const ImageFolderSource& source) const {
  // Written piece by piece rather than as one JSON document: a document of 250,000 paths took
  // ~25 MB in small allocations, this text ~11 MB in one.
  std::string out = "{\n \"path\": " + nlohmann::json(source.path).dump() + ",\n \"classes\": " +
                    nlohmann::json(classes).dump() + ",\n \"preprocess\": " + source.preprocess.to_json().dump();
  auto list = [&](const char* name, const ImageCache* cache) {
    out += ",\n \"";
    out += name;
    out += "\": [";
    for (int64_t i = 0; cache && i < cache->size(); ++i) {
      out += i ? ",\n  " : "\n  ";
      out += nlohmann::json(cache->file(i)).dump();
    }
    out += "]";
  };
  list("train_files", &train);
  list("test_files", test ? &*test : nullptr);
  out += ",\n \"skipped\": " + nlohmann::json(skipped).dump() + "\n}\n";
  return out;
}

ImageSet to_image_set(const ImageCache& cache) {
  ImageSet set;
  std::vector<int64_t> all(static_cast<size_t>(cache.size()));
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
  cache.gather(all, set.x);
  bool labelled = false;
  for (int l : cache.labels()) labelled |= l >= 0;
  if (labelled) set.labels = cache.labels();
  set.source = cache.path();
  return set;
}

}  // namespace aekit::data
