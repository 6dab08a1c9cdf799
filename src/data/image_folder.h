// Listing a folder of users' images the way torchvision's ImageFolder does: first-level
// subfolder names are the class labels (sorted, label = index), images directly in a folder
// without subfolders make an unlabelled set. A folder with both train/ and test/ subfolders is
// split that way (each laid out as above, test classes must exist in train); otherwise a seeded
// test_fraction of the files is held out.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aekit::data {

struct ImageFile {
  std::string path;
  int label = -1;  // index into classes, -1 for an unlabelled set
  int64_t bytes = 0;
  int64_t mtime_ns = 0;  // with bytes and path, what the cache key sees of the file
};

// A folder's files, stored compactly: each file's name once (its folder shared), so a scan of
// 250,000 files takes ~40 bytes a file instead of a string allocation each. Indexing hands out an
// ImageFile by value.
class ImageFileList {
 public:
  size_t size() const { return label_.size(); }
  bool empty() const { return label_.empty(); }
  ImageFile operator[](size_t i) const { return {path(i), label_[i], bytes_[i], mtime_[i]}; }
  std::string path(size_t i) const;
  int label(size_t i) const { return label_[i]; }

  class Iterator {  // for range-for: yields ImageFile values
   public:
    Iterator(const ImageFileList* list, size_t i) : list_(list), i_(i) {}
    ImageFile operator*() const { return (*list_)[i_]; }
    Iterator& operator++() { return ++i_, *this; }
    bool operator==(const Iterator&) const = default;

   private:
    const ImageFileList* list_;
    size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

  // A folder the following add() calls name files in (its path, as it will prefix them).
  void add_folder(const std::string& folder);
  void add(std::string_view name, int label, int64_t bytes, int64_t mtime_ns);
  ImageFileList select(const std::vector<int64_t>& indices) const;  // these files, in that order

 private:
  std::vector<std::string> folders_;
  std::string names_;
  std::vector<uint64_t> name_end_;
  std::vector<uint32_t> folder_;
  std::vector<int32_t> label_;
  std::vector<int64_t> bytes_, mtime_;
};

struct ImageFolderOptions {
  double test_fraction = 0.1;  // used only without train/ and test/ subfolders; [0, 1)
  uint64_t seed = 0;
  // false: the first bad entry is an InputError naming it. true: bad entries are left out and
  // listed in skipped ("<path>: <reason>").
  bool skip_bad = false;
};

struct ImageFolderScan {
  std::vector<std::string> classes;  // empty for an unlabelled set
  ImageFileList train, test;
  std::vector<std::string> skipped;
};

// What counts as bad here (the rest is found when decoding): a file without an image extension
// (.png .jpg .jpeg .bmp .pgm .ppm .pnm) inside an image folder, a zero-byte file, an empty class
// folder, and a folder with no images at all (always an error). Hidden files (".name") are not
// looked at; in a labelled folder, plain files beside the class subfolders (README, LICENSE)
// are not samples and are ignored, as ImageFolder does. Files are sorted by path, so the split
// depends only on the folder's contents and the seed.
ImageFolderScan scan_image_folder(const std::string& dir, const ImageFolderOptions& options = {});

}  // namespace aekit::data
