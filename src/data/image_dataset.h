// Image datasets stored as IDX files (MNIST, Fashion-MNIST and anything in the same layout).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/pixel_source.h"
#include "tensor/tensor.h"

namespace aekit::data {

struct ImageSet {
  Tensor x;                 // [N,1,H,W], pixel bytes / 255, so values are in [0,1]
  std::vector<int> labels;  // N class labels, or empty when the set has none
  std::string source;       // the images file, for reports

  int64_t size() const { return x.rank() ? x.dim(0) : 0; }
};

// The same set kept as its pixel bytes (for training: a quarter of the memory of ImageSet::x;
// batches are converted to the same floats as they are gathered).
struct PixelSet {
  PixelSource x;            // N samples [1,H,W]
  std::vector<int> labels;  // N class labels, or empty when the set has none
  std::string source;       // the images file, for reports

  int64_t size() const { return x.size(); }
};

// Image folders are in the MNIST layout, classes included: labels are 0 to 9 (MNIST's digits,
// Fashion-MNIST's garments, and a user's IDX folder alike), which is what the latent plots' ten
// colours, class exclusion and the kNN probe are built for. Any other label is an InputError.
inline constexpr int kImageClasses = 10;

// images_path: IDX bytes [N,H,W]. labels_path: IDX bytes [N] with values 0 to kImageClasses - 1,
// or "" for no labels.
ImageSet load_idx_images(const std::string& images_path, const std::string& labels_path);
PixelSet load_idx_pixels(const std::string& images_path, const std::string& labels_path);

// split "train" reads DIR/train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz];
// "test" the t10k-* files. A missing labels file means an unlabelled set; a missing images
// file is an InputError "DIR: no train-images-idx3-ubyte[.gz] found".
ImageSet load_image_split(const std::string& dir, const std::string& split);
PixelSet load_pixel_split(const std::string& dir, const std::string& split);

// The per-sample shape [1, H, W] of a split, from the images file's header alone (for checking a
// model against the data before loading it). Same errors as load_image_split for missing files.
std::vector<int64_t> image_split_shape(const std::string& dir, const std::string& split);

// Maps a dataset name to its folder:
//   "fashion-mnist" -> /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)
//   "mnist"         -> $AEKIT_DATA_DIR/mnist when that variable is set, else the first existing
//                      of <executable dir>/../data/mnist and AEKIT_SOURCE_DIR/data/mnist (when
//                      compiled with that macro)
//   anything else   -> itself, as a folder path.
// Throws InputError when the folder does not exist.
std::string resolve_dataset_dir(const std::string& name_or_path);
// A file or folder vendored under the project's data/ (e.g. "mnist", "heart/processed.cleveland.data"):
// $AEKIT_DATA_DIR/<name> if that variable is set, else <executable>/../data/<name>.
std::string vendored_path(const std::string& name);

// The first min(n, size) samples; n < 0 is an InputError.
ImageSet take(const ImageSet& set, int64_t n);
// The samples at idx, in that order (std::out_of_range for a bad index).
ImageSet subset(const ImageSet& set, const std::vector<int64_t>& idx);
PixelSet take(const PixelSet& set, int64_t n);
PixelSet subset(const PixelSet& set, const std::vector<int64_t>& idx);

}  // namespace aekit::data
