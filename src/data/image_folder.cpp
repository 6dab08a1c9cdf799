#include "data/image_folder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include "data/image_decode.h"
#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::data {
namespace fs = std::filesystem;
namespace {

bool hidden(const fs::path& p) { return p.filename().string().starts_with("."); }

// A problem with one entry: an error, or a line in skipped.
void bad(const std::string& what, const ImageFolderOptions& o, std::vector<std::string>& skipped) {
  if (!o.skip_bad) throw InputError(what);
  skipped.push_back(what);
}

// The image files directly in dir (sorted), each checked for extension and size.
std::vector<ImageFile> list_images(const fs::path& dir, int label, const ImageFolderOptions& o,
                                   std::vector<std::string>& skipped) {
  std::vector<fs::path> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (!hidden(it->path())) entries.push_back(it->path());
  if (ec) throw InputError(dir.string() + ": cannot list folder (" + ec.message() + ")");
  std::sort(entries.begin(), entries.end());
  std::vector<ImageFile> files;
  for (const fs::path& p : entries) {
    if (fs::is_directory(p)) continue;  // deeper folders are not part of the layout
    const std::string s = p.string();
    if (!has_image_extension(s)) {
      bad(s + ": not an image file (expected .png .jpg .jpeg .bmp .pgm .ppm .pnm)", o, skipped);
      continue;
    }
    const auto size = fs::file_size(p, ec);
    if (ec) {
      bad(s + ": unreadable (" + ec.message() + ")", o, skipped);
      continue;
    }
    if (size == 0) {
      bad(s + ": empty file (0 bytes)", o, skipped);
      continue;
    }
    const auto mtime = fs::last_write_time(p, ec).time_since_epoch();
    files.push_back({s, label, static_cast<int64_t>(size),
                     static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(mtime).count())});
  }
  return files;
}

std::vector<std::string> subfolders(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (!hidden(it->path()) && it->is_directory()) names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// One ImageFolder tree. classes: given (test split: train's classes) or filled in (empty).
std::vector<ImageFile> scan_tree(const fs::path& dir, std::vector<std::string>& classes, bool classes_fixed,
                                 const ImageFolderOptions& o, std::vector<std::string>& skipped) {
  const std::vector<std::string> subs = subfolders(dir);
  std::vector<ImageFile> files;
  if (subs.empty()) {
    if (classes_fixed && !classes.empty())
      throw InputError(dir.string() + ": has no class subfolders but train/ has " + std::to_string(classes.size()));
    files = list_images(dir, -1, o, skipped);
  } else {
    if (!classes_fixed) classes.clear();
    for (const std::string& name : subs) {
      int label;
      if (classes_fixed) {
        const auto it = std::find(classes.begin(), classes.end(), name);
        if (it == classes.end()) throw InputError((dir / name).string() + ": class '" + name + "' is not among train/'s classes");
        label = static_cast<int>(it - classes.begin());
      } else {
        label = static_cast<int>(classes.size());
      }
      std::vector<ImageFile> in_class = list_images(dir / name, label, o, skipped);
      if (in_class.empty()) {
        bad((dir / name).string() + ": empty class folder (no images)", o, skipped);
        if (!classes_fixed) continue;  // the class is left out, so labels stay 0..K-1 over real classes
      }
      if (!classes_fixed) classes.push_back(name);
      files.insert(files.end(), in_class.begin(), in_class.end());
    }
  }
  if (files.empty()) throw InputError(dir.string() + ": no images found");
  return files;
}

}  // namespace

ImageFolderScan scan_image_folder(const std::string& dir_name, const ImageFolderOptions& o) {
  const fs::path dir(dir_name);
  if (!fs::is_directory(dir)) throw InputError(dir_name + ": not a folder");
  require(o.test_fraction >= 0 && o.test_fraction < 1, "test_fraction must be in [0, 1), not " + std::to_string(o.test_fraction));
  ImageFolderScan scan;
  if (fs::is_directory(dir / "train") && fs::is_directory(dir / "test")) {
    scan.train = scan_tree(dir / "train", scan.classes, false, o, scan.skipped);
    scan.test = scan_tree(dir / "test", scan.classes, true, o, scan.skipped);
    return scan;
  }
  std::vector<ImageFile> all = scan_tree(dir, scan.classes, false, o, scan.skipped);
  // Seeded Fisher-Yates over the sorted list, then the first round(N * fraction) are the test set
  // (each part kept in path order so batches and reports are stable).
  std::vector<int64_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
  Rng rng(o.seed);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  const auto n_test = static_cast<size_t>(std::llround(o.test_fraction * static_cast<double>(all.size())));
  std::vector<int64_t> test_idx(order.begin(), order.begin() + n_test), train_idx(order.begin() + n_test, order.end());
  std::sort(test_idx.begin(), test_idx.end());
  std::sort(train_idx.begin(), train_idx.end());
  for (int64_t i : train_idx) scan.train.push_back(all[i]);
  for (int64_t i : test_idx) scan.test.push_back(all[i]);
  if (scan.train.empty()) throw InputError(dir_name + ": test_fraction leaves no training images");
  return scan;
}

}  // namespace aekit::data
