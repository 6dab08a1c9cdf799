// Numbers that say how good a trained model's codes and reconstructions are:
//   score  per-sample reconstruction error (CSV) and, given which labels are anomalies, the
//          ROC AUC and the threshold at a chosen false-positive rate. Metrics: the run's own
//          loss, plain MSE, or the relative error ||x - x'||^2 / ||x||^2 — the last one stops
//          images with little ink (a 1, a 7) from looking normal just because they are small
//   knn    k-nearest-neighbour accuracy of the codes (train codes vote for test codes)
//   pca    the 2-D PCA baseline: PCA codes scatter and kNN accuracy, next to a 2-D model's
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "eval/anomaly_score.h"
#include "cli/run_access.h"
#include "eval/evaluate.h"
#include "eval/knn.h"
#include "eval/latent.h"
#include "eval/pca.h"
#include "eval/roc.h"
#include "io/atomic_file.h"
#include "draw/plot.h"
#include "draw/png.h"
#include "report/folder_scores.h"
#include "tensor/error.h"
#include "run/run_data.h"

namespace aekit::cli {
namespace {

draw::Image codes_scatter(const Tensor& z, const std::vector<int>& labels, const std::string& title) {
  std::vector<double> a(z.dim(0)), b(z.dim(0));
  for (int64_t i = 0; i < z.dim(0); ++i) a[i] = z[2 * i], b[i] = z[2 * i + 1];
  draw::PlotOptions o;
  o.width = 640;
  o.height = 560;
  o.title = title;
  return draw::scatter_plot(a, b, labels, o);
}

Tensor flat(const Tensor& t) {
  Tensor f = t;
  f.reshape({t.dim(0), t.sample_size()});
  return f;
}

}  // namespace

void add_analyze(CLI::App& app) {
  struct Args {
    std::string run, data, out, anomalies, metric = "loss", images, normal = "good", heatmap_dir;
    double fpr = 0.05, quantile = 0.99;
    int64_t heatmaps = -1;
    bool skip_bad = false;
    int k = 5;
  };

  auto* sc = app.add_subcommand("score", "Anomaly scores: per-sample reconstruction error, ROC AUC");
  auto s = std::make_shared<Args>();
  sc->add_option("--run", s->run, "Run folder")->required();
  sc->add_option("--data", s->data, "Dataset to score (default: the run's test split)");
  sc->add_option("--anomaly-labels", s->anomalies, "Comma-separated labels that count as anomalies, e.g. 7");
  sc->add_option("--fpr", s->fpr, "False-positive rate for the suggested threshold")->check(CLI::Range(0.0, 0.999));
  sc->add_option("--out", s->out, "CSV to write (default RUN/scores.csv)");
  sc->add_option("--metric", s->metric, "loss (the run's per-sample loss), mse, or relative (||x-x'||^2/||x||^2)")
      ->check(CLI::IsMember({"loss", "mse", "relative"}));
  sc->add_option("--images", s->images,
                 "A folder of image files to score (class subfolders allowed): scores.csv, heatmaps, ROC AUC")
      ->excludes(sc->get_option("--data"));
  sc->add_option("--quantile", s->quantile, "--images: threshold = this quantile of the held-out normal images' scores")
      ->check(CLI::Range(0.0, 1.0));
  sc->add_option("--normal", s->normal, "--images: the class subfolder of normal images (the others are anomalies)");
  sc->add_option("--heatmaps", s->heatmaps, "--images: heatmaps of the N highest scores (-1 all, 0 none)")
      ->check(CLI::Range(int64_t{-1}, int64_t{1} << 40));
  sc->add_option("--heatmap-dir", s->heatmap_dir, "--images: where the heatmaps go (default RUN/heatmaps)");
  sc->add_flag("--skip-bad", s->skip_bad, "--images: leave unreadable images out (listed in SCORES.skipped.txt)");
  sc->callback([s] {
    if (!s->images.empty()) {
      report::FolderScoreRequest rq{s->run, s->images, s->out, s->heatmap_dir, s->quantile, s->normal, s->heatmaps, s->skip_bad};
      const report::FolderScoreSummary r = report::write_folder_scores(rq);
      std::printf("scored %lld images of %s (metric mse: mean squared error over pixels and channels)\n",
                  static_cast<long long>(r.images), s->images.c_str());
      std::printf("threshold %.6g = the %g quantile of %lld held-out normal images; flagged %lld of %lld\n", r.threshold,
                  s->quantile, static_cast<long long>(r.heldout), static_cast<long long>(r.flagged),
                  static_cast<long long>(r.images));
      if (r.skipped) std::printf("skipped %lld unreadable file(s), listed in %s.skipped.txt\n", static_cast<long long>(r.skipped), r.csv.c_str());
      if (r.auc)
        std::printf("roc_auc %.4f (%lld normal in %s/, %lld anomalous in the other classes)\n", *r.auc,
                    static_cast<long long>(r.normal), s->normal.c_str(), static_cast<long long>(r.anomalous));
      std::printf("wrote %s%s%s\n", r.csv.c_str(), r.heatmap_dir.empty() ? "" : " and heatmaps in ", r.heatmap_dir.c_str());
      return;
    }
    RunWithData r = open_run_with_data(s->run, s->data, false);
    const auto& labels = r.data.test.labels;
    const std::vector<double> scores = eval::anomaly_scores(*r.run.model, r.data.test.x, s->metric);
    std::set<int> bad;
    std::stringstream list(s->anomalies);
    for (std::string tok; std::getline(list, tok, ',');) {
      try {
        bad.insert(std::stoi(tok));
      } catch (const std::exception&) {
        throw InputError("--anomaly-labels: '" + tok + "' is not a label number");
      }
    }
    std::ostringstream csv;
    csv << "index,label,score\n";
    for (size_t i = 0; i < scores.size(); ++i)
      csv << i << "," << (labels.empty() ? -1 : labels[i]) << "," << scores[i] << "\n";
    const std::string out = s->out.empty() ? s->run + "/scores.csv" : s->out;
    io::write_file_atomic(out, csv.str());
    std::printf("wrote %s (%zu scores; metric %s)\n", out.c_str(), scores.size(), s->metric.c_str());
    if (bad.empty()) return;
    require(!labels.empty(), "score: the data has no labels to mark anomalies with");
    std::vector<int> pos(labels.size());
    int64_t npos = 0;
    for (size_t i = 0; i < labels.size(); ++i) npos += pos[i] = bad.count(labels[i]) ? 1 : 0;
    require(npos > 0 && npos < static_cast<int64_t>(labels.size()),
            "score: need both normal and anomalous samples among the labels");
    const double auc = eval::roc_auc(scores, pos);
    const double thr = eval::threshold_at_fpr(scores, pos, s->fpr);
    int64_t caught = 0;
    for (size_t i = 0; i < pos.size(); ++i) caught += pos[i] && scores[i] > thr;
    std::printf("anomalies %lld of %zu\nroc_auc %.4f\nthreshold %.6g (flags score > threshold; FPR <= %.3g)\n"
                "detected %.1f%% of anomalies at that threshold\n",
                static_cast<long long>(npos), labels.size(), auc, thr, s->fpr, 100.0 * caught / npos);
  });

  auto* kn = app.add_subcommand("knn", "k-nearest-neighbour accuracy of a model's codes");
  auto k = std::make_shared<Args>();
  kn->add_option("--run", k->run, "Run folder")->required();
  kn->add_option("--k", k->k, "Neighbours")->check(CLI::Range(1, 100));
  kn->add_option("--data", k->data, "Dataset overriding the run's");
  kn->callback([k] {
    RunWithData r = open_run_with_data(k->run, k->data, true);
    require(!r.data.train.labels.empty() && !r.data.test.labels.empty(), "knn: the data has no labels");
    const Tensor ztr = flat(eval::encode_all(*r.run.model, r.data.train.x));
    const Tensor zte = flat(eval::encode_all(*r.run.model, r.data.test.x));
    std::printf("knn_accuracy %.4f (k=%d, %lld-d codes, %lld train / %lld test)\n",
                eval::knn_accuracy(ztr, r.data.train.labels, zte, r.data.test.labels, k->k), k->k,
                static_cast<long long>(ztr.dim(1)), static_cast<long long>(ztr.dim(0)),
                static_cast<long long>(zte.dim(0)));
  });

  auto* pc = app.add_subcommand("pca", "2-D PCA baseline: codes scatter and kNN accuracy (vs a 2-D model)");
  auto p = std::make_shared<Args>();
  pc->add_option("--data", p->data, "Dataset (mnist, fashion-mnist or a folder)")->required();
  pc->add_option("--run", p->run, "A run with a 2-D code to compare against");
  pc->add_option("--out", p->out, "Folder for pca_vs_ae.png / pca_codes.png (default .)");
  pc->add_option("--k", p->k, "Neighbours for the kNN accuracy")->check(CLI::Range(1, 100));
  pc->callback([p] {
    run::RunConfig cfg;
    cfg.data.dataset = p->data;
    run::RunData d = run::load_run_data(cfg, true);
    const eval::Pca pca = eval::fit_pca(d.train.x, 2);
    const Tensor ptr = eval::pca_transform(pca, d.train.x), pte = eval::pca_transform(pca, d.test.x);
    const double pca_acc = eval::knn_accuracy(ptr, d.train.labels, pte, d.test.labels, p->k);
    std::printf("pca: explained variance %.4f %.4f\npca_knn_accuracy %.4f (k=%d)\n", pca.explained_variance[0],
                pca.explained_variance[1], pca_acc, p->k);
    const std::string dir = p->out.empty() ? "." : p->out;
    io::make_dirs(dir);
    draw::Image left = codes_scatter(pte, d.test.labels, "PCA, 2 components");
    if (p->run.empty()) {
      draw::write_png(dir + "/pca_codes.png", left);
      std::printf("wrote %s/pca_codes.png\n", dir.c_str());
      return;
    }
    run::LoadedRun r = run::load_run(p->run);
    require(numel(r.model->code_shape()) == 2, p->run + ": the model's code is not 2-D");
    const Tensor atr = flat(eval::encode_all(*r.model, d.train.x)), ate = flat(eval::encode_all(*r.model, d.test.x));
    const double ae_acc = eval::knn_accuracy(atr, d.train.labels, ate, d.test.labels, p->k);
    std::printf("ae_knn_accuracy %.4f (k=%d)\n", ae_acc, p->k);
    draw::Image right = codes_scatter(ate, d.test.labels, "autoencoder, 2-D code");
    draw::Image both = draw::make_image(left.width + right.width, std::max(left.height, right.height), 3, 255);
    for (int y = 0; y < left.height; ++y)
      for (int x = 0; x < left.width; ++x)
        for (int c = 0; c < 3; ++c) both.at(x, y)[c] = left.at(x, y)[c];
    for (int y = 0; y < right.height; ++y)
      for (int x = 0; x < right.width; ++x)
        for (int c = 0; c < 3; ++c) both.at(left.width + x, y)[c] = right.at(x, y)[c];
    draw::write_png(dir + "/pca_vs_ae.png", both);
    std::printf("wrote %s/pca_vs_ae.png\n", dir.c_str());
  });
}

}  // namespace aekit::cli
