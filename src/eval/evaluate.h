// Loss of a trained model over a whole split, in eval mode, batch by batch.
#pragma once
#include <vector>

#include "models/autoencoder.h"

namespace aekit::eval {

struct SplitLoss {
  double mean = 0;                 // mean over samples of the per-sample loss (the loss convention)
  std::vector<double> per_sample;  // filled when asked for
};

// target == nullptr: the target is x itself.
SplitLoss split_loss(models::Autoencoder& model, const Tensor& x, const Tensor* target = nullptr,
                     int64_t batch = 1000, bool keep_per_sample = false);

// Rows [begin, end) of src into dst (resized), for batch-wise walks over a split.
void copy_rows(const Tensor& src, int64_t begin, int64_t end, Tensor& dst);

}  // namespace aekit::eval
