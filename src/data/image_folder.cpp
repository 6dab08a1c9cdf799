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

// The image files directly in dir (sorted) appended to files, each checked for extension and
// size; how many were added.
size_t list_images(const fs::path& dir, int label, const ImageFolderOptions& o, ImageFileList& files,
                   std::vector<std::string>& skipped) {
  std::vector<std::string> names;  // file names only: this folder's, while it is listed
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with(".")) names.push_back(std::move(name));
  }
  if (ec) throw InputError(dir.string() + ": cannot list folder (" + ec.message() + ")");
  std::sort(names.begin(), names.end());
  files.add_folder(dir.string());
  size_t added = 0;
  for (const std::string& name : names) {
    const fs::path p = dir / name;
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
    files.add(name, label, static_cast<int64_t>(size),
              static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(mtime).count()));
    ++added;
  }
  return added;
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
ImageFileList scan_tree(const fs::path& dir, std::vector<std::string>& classes, bool classes_fixed,
                        const ImageFolderOptions& o, std::vector<std::string>& skipped) {
  const std::vector<std::string> subs = subfolders(dir);
  ImageFileList files;
  if (subs.empty()) {
    if (classes_fixed && !classes.empty())
      throw InputError(dir.string() + ": has no class subfolders but train/ has " + std::to_string(classes.size()));
    list_images(dir, -1, o, files, skipped);
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
      if (list_images(dir / name, label, o, files, skipped) == 0) {
        bad((dir / name).string() + ": empty class folder (no images)", o, skipped);
        if (!classes_fixed) continue;  // the class is left out, so labels stay 0..K-1 over real classes
      }
      if (!classes_fixed) classes.push_back(name);
    }
  }
  if (files.empty()) throw InputError(dir.string() + ": no images found");
  return files;
}

}  // namespace

std::string ImageFileList::path(size_t i) const {
  const uint64_t begin = i == 0 ? 0 : name_end_[i - 1];
  const std::string& folder = folders_[folder_[i]];  // joined as fs::path's operator/ would
  return folder + (folder.empty() || folder.back() == '/' ? "" : "/") + names_.substr(begin, name_end_[i] - begin);
}

void ImageFileList::add_folder(const std::string& folder) { folders_.push_back(folder); }

void ImageFileList::add(std::string_view name, int label, int64_t bytes, int64_t mtime_ns) {
  require(!folders_.empty(), "ImageFileList: add_folder before add");
  names_.append(name);
  name_end_.push_back(names_.size());
  folder_.push_back(static_cast<uint32_t>(folders_.size() - 1));
  label_.push_back(label);
  bytes_.push_back(bytes);
  mtime_.push_back(mtime_ns);
}

ImageFileList ImageFileList::select(const std::vector<int64_t>& indices) const {
  ImageFileList out;
  out.folders_ = folders_;
  for (int64_t i : indices) {
    const uint64_t begin = i == 0 ? 0 : name_end_[i - 1];
    out.names_.append(names_, begin, name_end_[i] - begin);
    out.name_end_.push_back(out.names_.size());
    out.folder_.push_back(folder_[i]);
    out.label_.push_back(label_[i]);
    out.bytes_.push_back(bytes_[i]);
    out.mtime_.push_back(mtime_[i]);
  }
  return out;
}

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
  ImageFileList all = scan_tree(dir, scan.classes, false, o, scan.skipped);
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
  if (n_test == 0) {
    scan.train = std::move(all);
  } else {
    scan.train = all.select(train_idx);
    scan.test = all.select(test_idx);
  }
  if (scan.train.empty()) throw InputError(dir_name + ": test_fraction leaves no training images");
  return scan;
}

}  // namespace aekit::data
