#include "eval/evaluate.h"

#include <algorithm>
#include <cstring>

namespace aekit::eval {

void copy_rows(const Tensor& src, int64_t begin, int64_t end, Tensor& dst) {
  Shape s = src.shape();
  s[0] = end - begin;
  dst.resize(s);
  const int64_t row = src.sample_size();
  std::memcpy(dst.data(), src.data() + begin * row, static_cast<size_t>((end - begin) * row) * sizeof(float));
}

SplitLoss split_loss(models::Autoencoder& model, const Tensor& x, const Tensor* target, int64_t batch,
                     bool keep_per_sample) {
  const int64_t n = x.dim(0);
  SplitLoss r;
  r.per_sample.resize(n);
  Tensor xb, tb;
  double sum = 0;
  for (int64_t b = 0; b < n; b += batch) {
    const int64_t e = std::min(n, b + batch);
    copy_rows(x, b, e, xb);
    const Tensor* t = &xb;
    if (target) {
      copy_rows(*target, b, e, tb);
      t = &tb;
    }
    model.eval_loss(xb, *t, r.per_sample.data() + b);
    for (int64_t i = b; i < e; ++i) sum += r.per_sample[i];
  }
  r.mean = n ? sum / n : 0.0;
  if (!keep_per_sample) r.per_sample.clear();
  return r;
}

}  // namespace aekit::eval
