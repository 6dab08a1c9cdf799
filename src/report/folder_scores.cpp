#include "report/folder_scores.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "draw/error_heatmap.h"
#include "eval/anomaly_score.h"
#include "eval/latent.h"
#include "eval/image_folder_scores.h"
#include "eval/roc.h"
#include "io/atomic_file.h"
#include "run/load_run.h"
#include "run/run_data.h"
#include "tensor/error.h"

namespace aekit::report {
namespace {

// A file name for the heatmap of `file` that keeps its class folder visible: good/017.png ->
// good__017.png.
std::string heatmap_name(const std::string& file, const std::string& root) {
  std::string rel = std::filesystem::path(file).lexically_relative(root).string();
  if (rel.empty() || rel.rfind("..", 0) == 0) rel = std::filesystem::path(file).filename().string();
  std::replace(rel.begin(), rel.end(), '/', '_');
  return std::filesystem::path(rel).replace_extension(".png").string();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

FolderScoreSummary write_folder_scores(const FolderScoreRequest& rq) {
  run::LoadedRun run = run::load_run(rq.run_dir);
  models::Autoencoder& model = *run.model;
  const data::ImagePreprocess pre = run::image_preprocess(run.cfg, model.input_shape());
  FolderScoreSummary sum;

  // The threshold: a quantile of the scores of the run's held-out (normal) test images.
  run::RunData held = run::load_run_data(run.cfg, /*need_train=*/false);
  const std::vector<double> normal_scores = eval::anomaly_scores(model, held.test.x, "mse");
  sum.heldout = static_cast<int64_t>(normal_scores.size());
  sum.threshold = eval::quantile(normal_scores, rq.quantile);
  // One colour scale for every heatmap: the 99.5th percentile of the held-out normal images'
  // per-pixel errors sits at the middle of the colour map (sqrt scale: a quarter of the top),
  // so a normal image stays dark and what glows is worse than nearly anything normal.
  double full = 0;
  {
    const Tensor y = eval::decode_all_reconstructions(model, held.test.x);
    std::vector<double> err(static_cast<size_t>(y.size()));
    for (int64_t j = 0; j < y.size(); ++j) {
      const double d = static_cast<double>(held.test.x[j]) - y[j];
      err[j] = d * d;
    }
    full = 4 * eval::quantile(std::move(err), 0.995);
  }
  sum.heatmap_dir = rq.heatmaps == 0 ? "" : rq.heatmap_dir.empty() ? rq.run_dir + "/heatmaps" : rq.heatmap_dir;
  if (!sum.heatmap_dir.empty()) io::make_dirs(sum.heatmap_dir);
  auto draw_heatmap = [&](const eval::ScoredImage& s, const Tensor& x, const Tensor& y) {
    draw::write_png(sum.heatmap_dir + "/" + heatmap_name(s.file, rq.images_dir), draw::error_heatmap_row(x, y, full, 2));
  };

  // Every image once. With N = all each heatmap is drawn as its image is scored; for the top N,
  // at most 2N images are held at a time.
  struct Kept {
    eval::ScoredImage image;
    Tensor x, y;
  };
  std::vector<Kept> kept;
  const bool all = rq.heatmaps < 0;
  eval::FolderScoreOptions o;
  o.skip_bad = rq.skip_bad;
  if (rq.heatmaps != 0)
    o.each = [&](const eval::ScoredImage& s, const Tensor& x, const Tensor& y) {
      if (all) return draw_heatmap(s, x, y);
      kept.push_back({s, x, y});
      if (!all && static_cast<int64_t>(kept.size()) > 2 * rq.heatmaps) {  // keep the top N so far
        std::nth_element(kept.begin(), kept.begin() + rq.heatmaps, kept.end(),
                         [](const Kept& a, const Kept& b) { return a.image.score > b.image.score; });
        kept.resize(static_cast<size_t>(rq.heatmaps));
      }
    };
  const eval::FolderScores scores = eval::score_image_folder(model, pre, rq.images_dir, o);
  sum.images = static_cast<int64_t>(scores.images.size());
  sum.skipped = static_cast<int64_t>(scores.skipped.size());

  std::ostringstream csv;
  csv.precision(9);
  csv << "file,class,score,flagged\n";
  for (const auto& s : scores.images) {
    const bool flag = s.score > sum.threshold;
    sum.flagged += flag;
    csv << csv_field(s.file) << "," << csv_field(s.label >= 0 ? scores.classes[s.label] : "") << "," << s.score << ","
        << (flag ? 1 : 0) << "\n";
  }
  sum.csv = rq.out_csv.empty() ? rq.run_dir + "/scores.csv" : rq.out_csv;
  io::write_file_atomic(sum.csv, csv.str());
  if (!scores.skipped.empty()) {
    std::string list;
    for (const auto& s : scores.skipped) list += s + "\n";
    io::write_file_atomic(sum.csv + ".skipped.txt", list);
  }

  if (!all) {
    std::sort(kept.begin(), kept.end(), [](const Kept& a, const Kept& b) { return a.image.score > b.image.score; });
    if (static_cast<int64_t>(kept.size()) > rq.heatmaps) kept.resize(static_cast<size_t>(rq.heatmaps));
    for (const Kept& k : kept) draw_heatmap(k.image, k.x, k.y);
  }

  const auto normal = std::find(scores.classes.begin(), scores.classes.end(), rq.normal_class);
  if (normal != scores.classes.end() && scores.classes.size() > 1) {
    const int normal_label = static_cast<int>(normal - scores.classes.begin());
    std::vector<double> v;
    std::vector<int> pos;
    for (const auto& s : scores.images) {
      v.push_back(s.score);
      pos.push_back(s.label != normal_label);
      (s.label == normal_label ? sum.normal : sum.anomalous)++;
    }
    if (sum.normal > 0 && sum.anomalous > 0) sum.auc = eval::roc_auc(v, pos);
  }
  return sum;
}

}  // namespace aekit::report
