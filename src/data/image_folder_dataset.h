// An image folder as a training data source: scan (data/image_folder.h), then one uint8 cache
// per split (data/image_cache.h). This is what the run layer calls for
//   "data": {"kind": "images", "path": DIR, "size": [H, W], "channels": 3, "resize": "fit-crop",
//            "background": [255, 255, 255], "test_fraction": 0.1, "seed": 0, "skip_bad": false}
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/image_cache.h"
#include "data/image_dataset.h"
#include "data/image_folder.h"

namespace aekit::data {

struct ImageFolderSource {
  std::string path;
  ImagePreprocess preprocess;
  ImageFolderOptions split;  // test_fraction, seed, skip_bad
  // Where the caches go; "" = $XDG_CACHE_HOME/aekit/images (else ~/.cache/aekit/images), one
  // pair of files per folder (named by a hash of its absolute path).
  std::string cache_dir;
  bool quiet = false;
};

struct ImageFolderData {
  std::vector<std::string> classes;
  ImageCache train;
  std::optional<ImageCache> test;  // absent when test_fraction is 0 and there is no test/
  std::vector<std::string> skipped;  // scan + decode, "<path>: <reason>"

  // For the run folder (images.json): {"path", "classes", "preprocess", "train_files",
  // "test_files", "skipped"} as JSON text.
  std::string record_text(const ImageFolderSource& source) const;
};

// Scans, then builds or reuses the caches. With skip_bad, prints one warning line with the count
// to stderr (the list is in skipped / record_text()). InputError naming the file otherwise.
ImageFolderData load_image_folder(const ImageFolderSource& source);

// The whole cache as an in-memory set [N, C, H, W] in [0,1] (what the trainer takes until it
// reads a SampleSource; use the cache itself for data larger than memory).
ImageSet to_image_set(const ImageCache& cache);

}  // namespace aekit::data
