#include "data/image_dataset.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "data/batcher.h"
#include "data/idx.h"
#include "tensor/error.h"

namespace fs = std::filesystem;

namespace aekit::data {
namespace {

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

// DIR/NAME or DIR/NAME.gz, whichever exists (raw first), else "".
std::string find_idx(const std::string& dir, const std::string& name) {
  for (const std::string& candidate : {name, name + ".gz"}) {
    const fs::path p = fs::path(dir) / candidate;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// DIR's images and labels files of a split ("" for a missing labels file).
std::pair<std::string, std::string> split_files(const std::string& dir, const std::string& split) {
  require(split == "train" || split == "test",
          "unknown split '" + split + "' (expected train or test)");
  require(is_dir(dir), dir + ": no such folder");
  const std::string prefix = split == "train" ? "train" : "t10k";
  const std::string images_name = prefix + "-images-idx3-ubyte";
  const std::string images = find_idx(dir, images_name);
  require(!images.empty(), dir + ": no " + images_name + "[.gz] found");
  return {images, find_idx(dir, prefix + "-labels-idx1-ubyte")};
}

}  // namespace

PixelSet load_idx_pixels(const std::string& images_path, const std::string& labels_path) {
  IdxArray images = read_idx(images_path);
  require(images.dims.size() == 3, images_path + ": expected 3-D IDX images [N,H,W], got " +
                                       dims_text(images.dims));
  const int64_t n = images.dims[0];

  PixelSet set;
  set.source = images_path;
  set.x = PixelSource(std::move(images.bytes), {1, images.dims[1], images.dims[2]});

  if (!labels_path.empty()) {
    const IdxArray labels = read_idx(labels_path);
    require(labels.dims.size() == 1, labels_path + ": expected 1-D IDX labels [N], got " +
                                         dims_text(labels.dims));
    require(labels.dims[0] == n, labels_path + ": label count mismatch: " +
                                     std::to_string(labels.dims[0]) + " labels for " +
                                     std::to_string(n) + " images in " + images_path);
    for (size_t i = 0; i < labels.bytes.size(); ++i)
      require(labels.bytes[i] < kImageClasses,
              labels_path + ": label " + std::to_string(labels.bytes[i]) + " of sample " + std::to_string(i) +
                  " is outside the classes 0-" + std::to_string(kImageClasses - 1));
    set.labels.assign(labels.bytes.begin(), labels.bytes.end());
  }
  return set;
}

ImageSet load_idx_images(const std::string& images_path, const std::string& labels_path) {
  PixelSet pixels = load_idx_pixels(images_path, labels_path);
  return {pixels.x.to_tensor(), std::move(pixels.labels), std::move(pixels.source)};
}

ImageSet load_image_split(const std::string& dir, const std::string& split) {
  const auto [images, labels] = split_files(dir, split);
  return load_idx_images(images, labels);
}

PixelSet load_pixel_split(const std::string& dir, const std::string& split) {
  const auto [images, labels] = split_files(dir, split);
  return load_idx_pixels(images, labels);
}

std::vector<int64_t> image_split_shape(const std::string& dir, const std::string& split) {
  require(is_dir(dir), dir + ": no such folder");
  const std::string images_name = (split == "train" ? "train" : "t10k") + std::string("-images-idx3-ubyte");
  const std::string images = find_idx(dir, images_name);
  require(!images.empty(), dir + ": no " + images_name + "[.gz] found");
  const std::vector<int64_t> dims = read_idx_dims(images);
  require(dims.size() == 3, images + ": expected 3-D IDX images [N,H,W], got " + dims_text(dims));
  return {1, dims[1], dims[2]};
}

std::string vendored_path(const std::string& name) {
  // An explicit AEKIT_DATA_DIR wins outright: falling back would hide a typo in it.
  if (const char* env = std::getenv("AEKIT_DATA_DIR"); env && *env) {
    const fs::path p = fs::path(env) / name;
    require(fs::exists(p), name + ": " + p.string() + " not found (from AEKIT_DATA_DIR)");
    return p.string();
  }
  std::vector<fs::path> tried;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) tried.push_back((exe.parent_path() / ".." / "data" / name).lexically_normal());
#ifdef AEKIT_SOURCE_DIR
  tried.push_back(fs::path(AEKIT_SOURCE_DIR) / "data" / name);
#endif
  for (const fs::path& p : tried)
    if (fs::exists(p)) return p.string();
  std::string list;
  for (const fs::path& p : tried) list += (list.empty() ? "" : ", ") + p.string();
  throw InputError(name + ": vendored data not found (tried " + list + "; set AEKIT_DATA_DIR to the folder holding " +
                   name + ")");
}

std::string resolve_dataset_dir(const std::string& name_or_path) {
  if (name_or_path == "fashion-mnist") {
    const std::string dir = "/usr/share/datasets/fashion-mnist";
    require(is_dir(dir), "fashion-mnist: " + dir +
                             " not found (install the Debian package dataset-fashion-mnist)");
    return dir;
  }
  if (name_or_path == "mnist") return vendored_path("mnist");
  require(is_dir(name_or_path),
          name_or_path + ": no such dataset folder (expected mnist, fashion-mnist or a folder "
                         "of IDX files)");
  return name_or_path;
}

ImageSet take(const ImageSet& set, int64_t n) {
  require(n >= 0, "cannot take " + std::to_string(n) + " samples from " + set.source);
  std::vector<int64_t> idx(std::min(n, set.size()));
  std::iota(idx.begin(), idx.end(), int64_t{0});
  return subset(set, idx);
}

PixelSet take(const PixelSet& set, int64_t n) {
  require(n >= 0, "cannot take " + std::to_string(n) + " samples from " + set.source);
  std::vector<int64_t> idx(std::min(n, set.size()));
  std::iota(idx.begin(), idx.end(), int64_t{0});
  return subset(set, idx);
}

PixelSet subset(const PixelSet& set, const std::vector<int64_t>& idx) {
  PixelSet out;
  out.source = set.source;
  out.x = set.x.subset(idx);
  if (!set.labels.empty()) {
    out.labels.reserve(idx.size());
    for (int64_t i : idx) out.labels.push_back(set.labels[i]);  // in range: subset checked
  }
  return out;
}

ImageSet subset(const ImageSet& set, const std::vector<int64_t>& idx) {
  ImageSet out;
  out.source = set.source;
  gather_rows(set.x, idx, out.x);
  if (!set.labels.empty()) {
    out.labels.reserve(idx.size());
    for (int64_t i : idx) out.labels.push_back(set.labels[i]);  // in range: gather_rows checked
  }
  return out;
}

}  // namespace aekit::data
