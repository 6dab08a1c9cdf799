#include "run/run_data.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "data/csv.h"
#include "data/noise.h"
#include "data/shapes.h"
#include "tensor/error.h"

namespace aekit::run {
namespace {

RunData load_images(const RunConfig& cfg, bool need_train) {
  RunData d;
  d.source = data::resolve_dataset_dir(cfg.data.dataset);
  if (need_train) {
    d.train = data::load_image_split(d.source, "train");
    if (cfg.data.train_limit && cfg.data.train_limit < d.train.x.dim(0)) d.train = data::take(d.train, cfg.data.train_limit);
  }
  // Anomaly detection setups train on the normal classes only ("exclude_labels": [7]).
  if (need_train && !cfg.data.exclude_labels.empty()) {
    const std::vector<int64_t>& ex = cfg.data.exclude_labels;
    require(!d.train.labels.empty(), d.source + ": exclude_labels needs a labels file");
    std::vector<int64_t> keep;
    for (size_t i = 0; i < d.train.labels.size(); ++i)
      if (std::find(ex.begin(), ex.end(), d.train.labels[i]) == ex.end()) keep.push_back(static_cast<int64_t>(i));
    d.train = data::subset(d.train, keep);
  }
  d.test = data::load_image_split(d.source, "test");
  if (cfg.data.test_limit && cfg.data.test_limit < d.test.x.dim(0)) d.test = data::take(d.test, cfg.data.test_limit);
  return d;
}

RunData load_table(const RunConfig& cfg) {
  const DataSpec& j = cfg.data;
  RunData d;
  d.source = cfg.data.dataset == "heart" ? data::vendored_path("heart/processed.cleveland.data") : cfg.data.dataset;
  data::Table t = data::drop_rows_with_missing(data::read_csv(d.source));
  require(!t.rows.empty(), d.source + ": no complete rows");
  std::vector<int> cols(j.columns.begin(), j.columns.end());
  if (cols.empty())
    for (int c = 0; c < static_cast<int>(t.columns.size()); ++c) cols.push_back(c);
  for (int c : cols)
    require(c >= 0 && c < static_cast<int>(t.columns.size()),
            d.source + ": column " + std::to_string(c) + " does not exist (the file has " +
                std::to_string(t.columns.size()) + ")");
  d.train.x = data::to_tensor(t, cols);
  d.train.source = d.source;
  if (j.label_column) {
    const int lc = static_cast<int>(*j.label_column);
    require(lc >= 0 && lc < static_cast<int>(t.columns.size()), d.source + ": label_column out of range");
    const double above = j.label_above;
    for (const auto& row : t.rows) d.train.labels.push_back(row[lc] > above ? 1 : 0);
  }
  if (j.standardize) {
    d.scaler.emplace();
    d.scaler->fit(d.train.x);
    d.scaler->transform(d.train.x);
  }
  if (cfg.data.train_limit && cfg.data.train_limit < d.train.x.dim(0)) d.train = data::take(d.train, cfg.data.train_limit);
  d.test = d.train;  // tables validate on the training rows (chapter 000's protocol)
  return d;
}

// Synthetic dSprites-like shapes with known factors (beta-VAE experiments); the train and test
// splits are drawn from disjoint seeds.
RunData load_shapes(const RunConfig& cfg) {
  RunData d;
  d.source = "synthetic shapes (src/data/shapes.h)";
  const int64_t n_train = cfg.data.train_size, n_test = cfg.data.test_size;
  require(n_train > 0 && n_test > 0, "data: shapes needs train_size and test_size > 0");
  const uint64_t seed = cfg.data.seed.value_or(1);
  d.train.x = data::make_shapes(cfg.data.train_limit ? std::min(cfg.data.train_limit, n_train) : n_train, seed).x;
  data::ShapesSet test = data::make_shapes(n_test, seed + 1000003);
  d.test.x = test.x;
  for (const auto& f : test.factors) d.test.labels.push_back(f.shape);  // colour plots by shape
  return d;
}

// The first n rows of a split. The split is already a seeded shuffle of the corpus, so these are
// a seeded random subset (data.train_limit / data.test_limit).
void keep_first(data::text::SentenceSet& s, int64_t n) {
  if (n <= 0 || n >= s.size()) return;
  std::vector<int64_t> rows(n);
  for (int64_t i = 0; i < n; ++i) rows[i] = i;
  s.ids = data::text::take_rows(s.ids, rows);
  s.sentences.resize(n);
  s.index.resize(n);
}

RunData load_sentences(const RunConfig& cfg) {
  RunData d;
  d.source = cfg.data.dataset;
  data::text::SentenceOptions o = sentence_options(cfg);
  // Ids only, then embed just the rows the run uses: the whole corpus as floats is ~0.7 GB.
  o.embed = false;
  d.text = std::make_shared<data::text::SentenceCorpus>(
      data::text::load_reuters_sentences(cfg.data.dataset, cfg.data.glove, o));
  std::printf("%s", data::text::describe(d.text->stats, o.seq_len).c_str());
  keep_first(d.text->train, cfg.data.train_limit);
  keep_first(d.text->test, cfg.data.test_limit);
  d.train.x = data::text::embed_ids(d.text->train.ids, d.text->embeddings.table);
  d.test.x = data::text::embed_ids(d.text->test.ids, d.text->embeddings.table);
  d.train.source = d.test.source = d.source;
  return d;
}

}  // namespace

data::text::SentenceOptions sentence_options(const RunConfig& cfg) {
  data::text::SentenceOptions o;
  o.seq_len = cfg.data.seq_len;
  o.embed_dim = cfg.data.embed_dim;
  o.vocab_size = cfg.data.vocab_size;
  o.max_sentences = cfg.data.max_sentences;
  o.seed = cfg.data.seed.value_or(o.seed);
  return o;
}

Shape sample_shape(const RunConfig& cfg) {
  const DataSpec& d = cfg.data;
  if (d.kind == "images") return data::image_split_shape(data::resolve_dataset_dir(d.dataset), "train");
  if (d.kind == "shapes") return {1, 64, 64};
  if (d.kind == "sentences") return {d.seq_len, d.embed_dim};
  if (!d.columns.empty()) return {static_cast<int64_t>(d.columns.size())};
  const std::string path = d.dataset == "heart" ? data::vendored_path("heart/processed.cleveland.data") : d.dataset;
  return {static_cast<int64_t>(data::read_csv(path).columns.size())};
}

RunData load_run_data(const RunConfig& cfg, bool need_train) {
  const std::string kind = cfg.data.kind;
  RunData d;
  if (kind == "images")
    d = load_images(cfg, need_train);
  else if (kind == "table")
    d = load_table(cfg);
  else if (kind == "shapes")
    d = load_shapes(cfg);
  else if (kind == "sentences")
    d = load_sentences(cfg);
  else
    throw InputError("data: unknown kind \"" + kind + "\" (expected images, table, shapes or sentences)");
  d.noise = cfg.data.noise;
  d.seed = cfg.train.seed;
  return d;
}

Tensor noisy_test_inputs(const RunData& data) {
  if (!data.noise.active()) return data.test.x;
  Tensor noisy;
  Rng rng = Rng(data.seed).fork(4000);  // the trainer's noise stream (kNoiseStream) before epoch 1
  data::add_noise(data.test.x, noisy, data.noise, rng);
  return noisy;
}

}  // namespace aekit::run
