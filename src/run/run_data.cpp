#include "run/run_data.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <set>

#include "data/array_dataset.h"
#include "data/csv.h"
#include "data/image_resize.h"
#include "data/table_dataset.h"
#include "data/noise.h"
#include "data/shapes.h"
#include "tensor/error.h"

namespace aekit::run {
namespace {

// How the training split of an IDX image set is loaded.
enum class TrainSplit { none, floats, pixels };

// The training split as the config narrows it: the first train_limit samples, then without the
// exclude_labels classes (anomaly detection setups train on the normal classes only). Set is an
// ImageSet or a PixelSet.
template <class Set>
Set narrowed_training_split(Set train, const RunConfig& cfg, const std::string& source) {
  if (cfg.data.train_limit && cfg.data.train_limit < train.size()) train = data::take(train, cfg.data.train_limit);
  if (cfg.data.exclude_labels.empty()) return train;
  const std::vector<int64_t>& ex = cfg.data.exclude_labels;
  require(!train.labels.empty(), source + ": exclude_labels needs a labels file");
  std::vector<int64_t> keep;
  for (size_t i = 0; i < train.labels.size(); ++i)
    if (std::find(ex.begin(), ex.end(), train.labels[i]) == ex.end()) keep.push_back(static_cast<int64_t>(i));
  return data::subset(train, keep);
}

RunData load_images(const RunConfig& cfg, TrainSplit train) {
  RunData d;
  d.source = data::resolve_dataset_dir(cfg.data.dataset);
  if (train == TrainSplit::floats)
    d.train = narrowed_training_split(data::load_image_split(d.source, "train"), cfg, d.source);
  if (train == TrainSplit::pixels)
    d.train_pixels = narrowed_training_split(data::load_pixel_split(d.source, "train"), cfg, d.source);
  d.test = data::load_image_split(d.source, "test");
  if (cfg.data.test_limit && cfg.data.test_limit < d.test.x.dim(0)) d.test = data::take(d.test, cfg.data.test_limit);
  return d;
}

data::ImageFolderSource folder_source(const RunConfig& cfg) {
  const DataSpec& j = cfg.data;
  data::ImageFolderSource src;
  src.path = expand_home(j.path);
  src.preprocess.height = static_cast<int>(j.size[0]);
  src.preprocess.width = static_cast<int>(j.size[1]);
  src.preprocess.channels = static_cast<int>(j.channels);
  src.preprocess.resize = data::parse_resize_policy(j.resize);
  for (int c = 0; c < 3; ++c) src.preprocess.background[c] = static_cast<uint8_t>(j.background[c]);
  src.split.test_fraction = j.test_fraction;
  src.split.seed = j.seed.value_or(0);
  src.split.skip_bad = j.skip_bad;
  src.cache_dir = expand_home(j.cache_dir);
  return src;
}

// The first n samples of a cache (n = 0: all) as an in-memory set, for figures and evaluation.
data::ImageSet first_of(const data::ImageCache& cache, int64_t n) {
  n = n > 0 ? std::min(n, cache.size()) : cache.size();
  data::ImageSet set;
  std::vector<int64_t> idx(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) idx[i] = i;
  cache.gather(idx, set.x);
  for (int64_t i = 0; i < n; ++i)
    if (cache.labels()[i] >= 0) set.labels.push_back(cache.labels()[i]);
  if (static_cast<int64_t>(set.labels.size()) != n) set.labels.clear();
  set.source = cache.path();
  return set;
}

// Training reads the train cache itself (data.folder); only commands that look at the test split
// (need_train = false) get it in memory.
RunData load_image_folder(const RunConfig& cfg, bool need_train, bool quiet) {
  RunData d;
  data::ImageFolderSource src = folder_source(cfg);
  src.quiet = quiet;
  d.source = src.path;
  d.folder = std::make_shared<data::ImageFolderData>(data::load_image_folder(src));
  d.folder_source = src;
  if (!need_train) {
    const data::ImageCache& test = d.folder->test ? *d.folder->test : d.folder->train;
    d.test = first_of(test, cfg.data.test_limit);
  }
  return d;
}

// A seeded split of users' arrays: test_fraction of the rows (at least one) are held out; with
// 0 the training rows validate, as tables do.
RunData load_arrays(const RunConfig& cfg) {
  const DataSpec& j = cfg.data;
  data::ArrayOptions o;
  o.key = j.key, o.labels_key = j.labels_key, o.labels_path = expand_home(j.labels);
  data::ArrayData a = data::load_array_data(expand_home(j.path), o);
  RunData d;
  d.source = a.source.empty() ? j.path : a.source;
  data::ImageSet all{std::move(a.x), std::move(a.labels), d.source};
  const int64_t n = all.size();
  if (j.test_fraction <= 0 || n < 2) {
    d.train = all;
    d.test = all;
  } else {
    std::vector<int64_t> order(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    Rng rng(j.seed.value_or(0));
    for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.next_u64() % static_cast<uint64_t>(i + 1)]);
    const int64_t n_test = std::clamp<int64_t>(static_cast<int64_t>(std::llround(n * j.test_fraction)), 1, n - 1);
    d.test = data::subset(all, std::vector<int64_t>(order.begin(), order.begin() + n_test));
    d.train = data::subset(all, std::vector<int64_t>(order.begin() + n_test, order.end()));
  }
  if (j.train_limit && j.train_limit < d.train.size()) d.train = data::take(d.train, j.train_limit);
  if (j.test_limit && j.test_limit < d.test.size()) d.test = data::take(d.test, j.test_limit);
  return d;
}

// A CSV with a header, columns chosen by name (data/table_dataset.h).
RunData load_named_table(const RunConfig& cfg, const std::string& path) {
  const DataSpec& j = cfg.data;
  data::TableOptions o;
  o.columns = j.columns.names;
  o.label_column = j.label_column.name;
  o.missing = j.missing;
  data::TableData t = data::load_table_data(path, o);
  if (t.dropped) std::printf("%s: %lld row(s) with missing values dropped\n", path.c_str(), static_cast<long long>(t.dropped));
  RunData d;
  d.source = path;
  d.train.x = std::move(t.x);
  d.train.labels = std::move(t.labels);
  d.train.source = path;
  return d;
}

RunData load_table(const RunConfig& cfg) {
  const DataSpec& j = cfg.data;
  const std::string path = j.dataset == "heart" ? data::vendored_path("heart/processed.cleveland.data") : expand_home(j.dataset);
  if (!j.columns.names.empty() || !j.label_column.name.empty()) {
    RunData d = load_named_table(cfg, path);
    if (j.standardize) {
      d.scaler.emplace();
      d.scaler->fit(d.train.x);
      d.scaler->transform(d.train.x);
    }
    if (j.train_limit && j.train_limit < d.train.x.dim(0)) d.train = data::take(d.train, j.train_limit);
    d.test = d.train;
    return d;
  }
  RunData d;
  d.source = path;
  const data::Table raw = data::read_csv(d.source);
  data::Table t = data::drop_rows_with_missing(raw);
  require(j.missing == "drop" || t.rows.size() == raw.rows.size(),
          d.source + ": " + std::to_string(raw.rows.size() - t.rows.size()) + " row(s) have missing values (\"missing\": \"reject\")");
  require(!t.rows.empty(), d.source + ": no complete rows");
  std::vector<int> cols(j.columns.index.begin(), j.columns.index.end());
  if (cols.empty())
    for (int c = 0; c < static_cast<int>(t.columns.size()); ++c) cols.push_back(c);
  for (int c : cols)
    require(c >= 0 && c < static_cast<int>(t.columns.size()),
            d.source + ": column " + std::to_string(c) + " does not exist (the file has " +
                std::to_string(t.columns.size()) + ")");
  d.train.x = data::to_tensor(t, cols);
  d.train.source = d.source;
  if (j.label_column.index) {
    const int lc = static_cast<int>(*j.label_column.index);
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
  if (d.is_image_folder()) return {d.channels, d.size[0], d.size[1]};
  if (d.kind == "images") return data::image_split_shape(data::resolve_dataset_dir(d.dataset), "train");
  if (d.kind == "arrays") {  // arrays fit in memory by definition; the header alone would do
    data::ArrayOptions o;
    o.key = d.key;
    const Tensor x = data::load_array_data(expand_home(d.path), o).x;
    return Shape(x.shape().begin() + 1, x.shape().end());
  }
  if (d.kind == "shapes") return {1, 64, 64};
  if (d.kind == "sentences") return {d.seq_len, d.embed_dim};
  const std::string path = d.dataset == "heart" ? data::vendored_path("heart/processed.cleveland.data") : expand_home(d.dataset);
  if (!d.columns.names.empty() || !d.label_column.name.empty()) {  // names are checked against the header
    data::TableOptions o;
    o.columns = d.columns.names;
    o.label_column = d.label_column.name;
    o.missing = d.missing;
    return {data::load_table_data(path, o).x.dim(1)};
  }
  if (!d.columns.empty()) return {static_cast<int64_t>(d.columns.size())};
  return {static_cast<int64_t>(data::read_csv(path).columns.size())};
}

data::ImagePreprocess image_preprocess(const RunConfig& cfg, const Shape& in) {
  if (cfg.data.is_image_folder()) return folder_source(cfg).preprocess;
  require(in.size() == 3 && (in[0] == 1 || in[0] == 3),
          "the model's input " + to_string(in) + " is not an image [C, H, W] with 1 or 3 channels");
  data::ImagePreprocess p;
  p.channels = static_cast<int>(in[0]), p.height = static_cast<int>(in[1]), p.width = static_cast<int>(in[2]);
  p.resize = data::ResizePolicy::stretch;
  return p;
}

std::string expand_home(const std::string& path) {
  if (path.size() >= 2 && path[0] == '~' && path[1] == '/')
    if (const char* home = std::getenv("HOME"); home && *home) return home + path.substr(1);
  return path;
}

namespace {

RunData load_data(const RunConfig& cfg, TrainSplit train) {
  const std::string kind = cfg.data.kind;
  const bool need_train = train != TrainSplit::none;
  RunData d;
  if (cfg.data.is_image_folder())
    d = load_image_folder(cfg, need_train, !need_train);
  else if (kind == "arrays")
    d = load_arrays(cfg);
  else if (kind == "images")
    d = load_images(cfg, train);
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

}  // namespace

RunData load_run_data(const RunConfig& cfg, bool need_train) {
  return load_data(cfg, need_train ? TrainSplit::floats : TrainSplit::none);
}

RunData load_training_data(const RunConfig& cfg) { return load_data(cfg, TrainSplit::pixels); }

Tensor noisy_test_inputs(const RunData& data) {
  if (!data.noise.active()) return data.test.x;
  Tensor noisy;
  Rng rng = Rng(data.seed).fork(4000);  // the trainer's noise stream (kNoiseStream) before epoch 1
  data::add_noise(data.test.x, noisy, data.noise, rng);
  return noisy;
}

}  // namespace aekit::run
