// The train and test splits a run config names (limits applied).
#pragma once
#include "data/image_dataset.h"
#include "train/run_config.h"

namespace aekit::train {

struct RunData {
  data::ImageSet train, test;
  std::string dir;
};

RunData load_run_data(const RunConfig& cfg, bool need_train = true);

}  // namespace aekit::train
