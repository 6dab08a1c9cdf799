// Opening a run folder together with the data it was trained on, for the commands that use a
// trained model (eval, reconstruct, encode, score, ...).
#pragma once
#include <string>

#include "train/load_run.h"
#include "train/run_data.h"

namespace aekit::cli {

struct RunWithData {
  train::LoadedRun run;
  train::RunData data;
};

inline RunWithData open_run_with_data(const std::string& dir, const std::string& data_override, bool need_train,
                                      int64_t test_limit = 0) {
  RunWithData r{train::load_run(dir), {}};
  train::RunConfig cfg = r.run.cfg;
  if (!data_override.empty()) train::set_dataset(cfg, data_override);
  if (test_limit > 0) cfg.test_limit = test_limit;
  r.data = train::load_run_data(cfg, need_train);
  return r;
}

}  // namespace aekit::cli
