// Anomaly scores for a folder of image files, the way inspection users work: every image is
// decoded and resized as the run's training images were, reconstructed, and scored by its mean
// squared error over pixels and channels. Class subfolders (ImageFolder layout) give each image
// its class, e.g. good/ and scratch/ — what the ROC AUC is computed from.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "data/image_cache.h"
#include "models/autoencoder.h"

namespace aekit::eval {

struct ScoredImage {
  std::string file;
  int label = -1;  // index into classes, -1 when the folder has no class subfolders
  double score = 0;
};

struct FolderScores {
  std::vector<std::string> classes;
  std::vector<ScoredImage> images;  // sorted by path
  std::vector<std::string> skipped;  // "<path>: <reason>" (skip_bad only)
};

struct FolderScoreOptions {
  bool skip_bad = false;  // false: the first unreadable file is an InputError naming it
  int64_t batch = 64;
  // Called per image with its input and reconstruction [C, H, W] (e.g. to draw a heatmap).
  std::function<void(const ScoredImage&, const Tensor& x, const Tensor& y)> each;
};

FolderScores score_image_folder(models::Autoencoder& model, const data::ImagePreprocess& pre, const std::string& dir,
                                const FolderScoreOptions& options = {});

// The q-quantile (0 <= q <= 1, linear interpolation between order statistics, as NumPy's
// default) of values; InputError when values is empty.
double quantile(std::vector<double> values, double q);

}  // namespace aekit::eval
