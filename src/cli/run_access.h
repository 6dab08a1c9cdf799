// Opening a run folder together with the data it was trained on, for the commands that use a
// trained model (eval, reconstruct, encode, score, ...).
#pragma once
#include <string>

#include "run/load_run.h"
#include "run/run_data.h"

namespace aekit::cli {

struct RunWithData {
  run::LoadedRun run;
  run::RunData data;
};

inline RunWithData open_run_with_data(const std::string& dir, const std::string& data_override, bool need_train,
                                      int64_t test_limit = 0) {
  RunWithData r{run::load_run(dir), {}};
  run::RunConfig cfg = r.run.cfg;
  if (!data_override.empty()) run::set_dataset(cfg, data_override);
  if (test_limit > 0) cfg.data.test_limit = test_limit;
  r.data = run::load_run_data(cfg, need_train);
  return r;
}

}  // namespace aekit::cli
