#include "eval/image_folder_scores.h"

#include <algorithm>
#include <cmath>

#include "data/image_folder.h"
#include "tensor/error.h"

namespace aekit::eval {

FolderScores score_image_folder(models::Autoencoder& model, const data::ImagePreprocess& pre, const std::string& dir,
                                const FolderScoreOptions& o) {
  data::ImageFolderOptions scan_options;
  scan_options.test_fraction = 0;  // every image is scored; train/ + test/ subfolders are both read
  scan_options.skip_bad = o.skip_bad;
  const data::ImageFolderScan scan = data::scan_image_folder(dir, scan_options);
  FolderScores out;
  out.classes = scan.classes;
  out.skipped = scan.skipped;
  std::vector<data::ImageFile> files;
  for (const data::ImageFileList* list : {&scan.train, &scan.test})
    for (const data::ImageFile& f : *list) files.push_back(f);
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });

  const Shape sample{pre.channels, pre.height, pre.width};
  require(model.input_shape() == sample, dir + ": the run's model takes " + to_string(model.input_shape()) +
                                             ", its preprocessing gives " + to_string(sample));
  const int64_t per = numel(sample);
  std::vector<uint8_t> bytes(static_cast<size_t>(per));
  std::vector<ScoredImage> batch_info;
  std::vector<float> batch_pixels;
  auto flush = [&] {
    if (batch_info.empty()) return;
    Shape s{static_cast<int64_t>(batch_info.size())};
    s.insert(s.end(), sample.begin(), sample.end());
    Tensor x(s);
    std::copy(batch_pixels.begin(), batch_pixels.end(), x.data());
    const Tensor y = model.reconstruct(x);
    for (size_t i = 0; i < batch_info.size(); ++i) {
      double err = 0;  // the "mse" of eval/anomaly_score.h, from the reconstruction already made
      for (int64_t j = i * per; j < static_cast<int64_t>(i + 1) * per; ++j) {
        const double d = static_cast<double>(x[j]) - y[j];
        err += d * d;
      }
      batch_info[i].score = err / static_cast<double>(per);
      out.images.push_back(batch_info[i]);
      if (o.each) {
        Tensor xi(sample), yi(sample);
        std::copy(x.data() + i * per, x.data() + (i + 1) * per, xi.data());
        std::copy(y.data() + i * per, y.data() + (i + 1) * per, yi.data());
        o.each(batch_info[i], xi, yi);
      }
    }
    batch_info.clear();
    batch_pixels.clear();
  };
  for (const data::ImageFile& f : files) {
    try {
      data::preprocess_image(f.path, pre, bytes.data());
    } catch (const InputError& e) {
      if (!o.skip_bad) throw;
      out.skipped.push_back(e.what());
      continue;
    }
    batch_info.push_back({f.path, f.label, 0});
    for (uint8_t b : bytes) batch_pixels.push_back(b / 255.0f);
    if (static_cast<int64_t>(batch_info.size()) == o.batch) flush();
  }
  flush();
  require(!out.images.empty(), dir + ": no image could be scored");
  return out;
}

double quantile(std::vector<double> v, double q) {
  require(!v.empty(), "quantile of no values");
  std::sort(v.begin(), v.end());
  const double at = std::clamp(q, 0.0, 1.0) * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(at)), hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

}  // namespace aekit::eval
