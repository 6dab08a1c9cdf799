#include "train/run_data.h"

namespace aekit::train {

RunData load_run_data(const RunConfig& cfg, bool need_train) {
  RunData d;
  d.dir = data::resolve_dataset_dir(cfg.dataset);
  if (need_train) {
    d.train = data::load_image_split(d.dir, "train");
    if (cfg.train_limit && cfg.train_limit < d.train.x.dim(0)) d.train = data::take(d.train, cfg.train_limit);
  }
  d.test = data::load_image_split(d.dir, "test");
  if (cfg.test_limit && cfg.test_limit < d.test.x.dim(0)) d.test = data::take(d.test, cfg.test_limit);
  return d;
}

}  // namespace aekit::train
