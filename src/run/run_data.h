// The train and test splits a run config's "data" section names. The keys each kind takes are
// declared in run_config.cpp (one schema per kind); this is what they mean.
//
//   images (default): {"dataset": "mnist" | "fashion-mnist" | "<folder of IDX files>",
//                      "train_limit": 0, "test_limit": 0, "exclude_labels": [7]}
//       exclude_labels drops those classes from the training split only (anomaly detection:
//       the held-out class is the anomaly at test time).
//   table:            {"kind": "table", "dataset": "heart" | "<file.csv>", "columns": [0, ..., 12],
//                      "label_column": 13, "label_above": 0, "standardize": true}
//       rows with missing values are dropped; labels = (label column > label_above), used only
//       for plots; with standardize a StandardScaler is fitted on the training rows (saved as
//       scaler.json in the run folder, so reports can print original units). Tables validate on
//       the training rows, as chapter 000 does.
//   images (a folder): {"path": DIR, "size": [64, 64], "channels": 3, "resize": "fit-crop",
//                      "background": [255, 255, 255], "test_fraction": 0.1, "seed": 0,
//                      "skip_bad": false, "cache_dir": ""}
//       image files (PNG, JPEG, BMP, PGM/PPM) of any size, class labels from the first-level
//       subfolder names, train/ + test/ subfolders or a seeded test_fraction (data/image_folder.h).
//       Decoded once into a uint8 cache per split (data/image_cache.h); training reads batches
//       from the memory-mapped cache on a prefetch thread, so memory does not grow with the
//       folder. The file list, classes and preprocessing go to the run folder (images.json).
//   arrays:           {"kind": "arrays", "path": "x.npy" | "d.npz", "key": "x", "labels_key": "y",
//                      "labels": "labels.npy", "test_fraction": 0.1, "seed": 0}
//       samples [N, ...] as uint8 (/255) or float32; a seeded test_fraction is held out (0:
//       validate on the training rows, as tables do).
//   table by name:    {"kind": "table", "dataset": "file.csv", "columns": ["age", "chol"],
//                      "label_column": "target", "missing": "drop" | "reject", "standardize": true}
//       a CSV with a header; integer labels from the named column.
//   shapes:           {"kind": "shapes", "train_size": 20000, "test_size": 2000, "seed": 1}
//       64x64 synthetic shapes with known factors (src/data/shapes.h), for beta-VAE
//       disentanglement experiments; test labels are the shape index.
//   sentences:        {"kind": "sentences", "dataset": "<Reuters-21578 folder>", "glove": "<file>",
//                      "seq_len": 50, "vocab_size": 5000, "embed_dim": 50, "max_sentences": 0,
//                      "train_limit": 0, "test_limit": 0, "seed": 42}
//       sentences of the Reuters stories as [N, seq_len, embed_dim] GloVe vectors (src/data/text),
//       70/30 split seeded by data.seed. The limits keep the first N rows of each (shuffled)
//       split, i.e. a seeded random subset. RunData::text keeps the vocabulary, the table and
//       the ids and texts of the rows used (its SentenceSet::x stay empty; train.x / test.x hold
//       the vectors). Reuters is research-only: it is read from the path, never copied.
//   any kind:         "noise": {"mean": 0, "std": 0.5, "clip": [0, 1]} corrupts the inputs
//                      (denoising); targets stay clean.
#pragma once
#include <memory>
#include <optional>

#include "data/image_dataset.h"
#include "data/image_folder_dataset.h"
#include "data/sample_source.h"
#include "data/noise.h"
#include "data/scaler.h"
#include "data/text/corpus.h"
#include "run/run_config.h"

namespace aekit::run {

struct RunData {
  data::ImageSet train, test;  // x: [N, ...sample shape]; labels may be empty
  // IDX image sets loaded by load_training_data: the training split as its pixel bytes, a
  // quarter of its float size (train then stays empty; batches convert as they are gathered).
  std::optional<data::PixelSet> train_pixels;
  std::string source;
  std::optional<data::StandardScaler> scaler;
  data::NoiseSpec noise;
  uint64_t seed = 0;  // the run's seed: fixes the test split's corruption (noisy_test_inputs)
  std::shared_ptr<data::text::SentenceCorpus> text;  // sentences: vocabulary, embeddings, ids, text
  // Image folders: the memory-mapped caches the trainer reads (train.x then stays empty; test.x
  // holds the test split only when asked for with need_train = false), and the record of the
  // files, classes and preprocessing for the run folder.
  std::shared_ptr<data::ImageFolderData> folder;
  data::ImageFolderSource folder_source;  // what images.json records
};

data::text::SentenceOptions sentence_options(const RunConfig& cfg);

RunData load_run_data(const RunConfig& cfg, bool need_train = true);
// What training reads: the same, except that an IDX image set's training split stays as bytes
// (RunData::train_pixels).
RunData load_training_data(const RunConfig& cfg);

// The per-sample input shape the data will have, found without loading it (an IDX header, a CSV's
// columns), so the model can be built and checked before the data is read.
Shape sample_shape(const RunConfig& cfg);

// How a run's images are decoded and resized: its folder config's preprocessing, or for a model
// trained on IDX files or arrays, its input shape [C, H, W] with a stretch resize.
data::ImagePreprocess image_preprocess(const RunConfig& cfg, const Shape& input_shape);

// A config's path with a leading "~/" expanded to $HOME (configs name ~/.cache/aekit/...).
std::string expand_home(const std::string& path);

// Denoising runs: one fixed corruption of the test inputs, drawn from the run seed's noise
// stream, shared by validation, `aekit eval`, `score` and the figures so their numbers agree.
// Returns the clean test inputs when the run adds no noise.
Tensor noisy_test_inputs(const RunData& data);

}  // namespace aekit::run
