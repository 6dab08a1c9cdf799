// Everything the server answers from, read from a run folder at one moment: the model copies,
// the explorer's points, the metrics rows and the loss conventions. A new epoch makes a new
// snapshot (serve/live_run.h); requests under way keep the one they started with.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "serve/explorer_points.h"
#include "serve/model_pool.h"

namespace aekit::serve {

struct SnapshotOptions {
  std::string data_override;      // dataset for the explorer instead of the config's
  int model_copies = 2;
  int64_t explorer_points = 2000;
  std::optional<kernels::Precision> precision;  // of every product; none: the run's train.precision
};

struct RunSnapshot {
  std::unique_ptr<ModelPool> pool;
  ExplorerPoints points;
  std::string metrics_csv;  // metrics.csv as the trainer wrote it ("" before the first epoch)
  int epochs = 0;           // rows in metrics_csv
  std::vector<std::string> loss_conventions;
  uint64_t version = 0;     // counts reloads, 1 for the first
};

// InputError when the folder has no config or no weights yet (run::load_run).
std::shared_ptr<const RunSnapshot> load_snapshot(const std::string& run_dir, const SnapshotOptions& options,
                                                 uint64_t version);

}  // namespace aekit::serve
