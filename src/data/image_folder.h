// Listing a folder of users' images the way torchvision's ImageFolder does: first-level
// subfolder names are the class labels (sorted, label = index), images directly in a folder
// without subfolders make an unlabelled set. A folder with both train/ and test/ subfolders is
// split that way (each laid out as above, test classes must exist in train); otherwise a seeded
// test_fraction of the files is held out.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aekit::data {

struct ImageFile {
  std::string path;
  int label = -1;  // index into classes, -1 for an unlabelled set
  int64_t bytes = 0;
  int64_t mtime_ns = 0;  // with bytes and path, what the cache key sees of the file
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
  std::vector<ImageFile> train, test;
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
