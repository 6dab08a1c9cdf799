// `aekit score --run RUN --images DIR`: anomaly detection on a folder of image files. The run's
// held-out test images (normal by construction: the model trained on their folder) fix the
// threshold at a stated quantile of their scores; every image of DIR is scored, flagged when its
// score is above it, and drawn as input | reconstruction | error heatmap. When DIR has class
// subfolders including the normal one (default "good", the MVTec AD convention), every other
// class counts as anomalous and the ROC AUC is reported.
#pragma once
#include <optional>
#include <string>

namespace aekit::report {

struct FolderScoreRequest {
  std::string run_dir, images_dir;
  std::string out_csv;           // "" = RUN/scores.csv
  std::string heatmap_dir;       // "" = RUN/heatmaps
  double quantile = 0.99;        // of the held-out normal scores
  std::string normal_class = "good";
  int64_t heatmaps = -1;         // the N highest-scoring images; -1 = all, 0 = none
  bool skip_bad = false;
};

struct FolderScoreSummary {
  int64_t images = 0, flagged = 0, skipped = 0, heldout = 0;
  double threshold = 0;
  std::optional<double> auc;  // with a normal class and at least one other
  int64_t normal = 0, anomalous = 0;
  std::string csv, heatmap_dir;
};

FolderScoreSummary write_folder_scores(const FolderScoreRequest& request);

}  // namespace aekit::report
