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
                     bool keep_per_sample, uint64_t seed) {
  const int64_t n = x.dim(0);
  Rng rng(seed);
  model.set_rng(&rng);
  std::vector<double> recon(n), kl(n, 0.0);
  Tensor xb, tb;
  double beta = 0;
  for (int64_t b = 0; b < n; b += batch) {
    const int64_t e = std::min(n, b + batch);
    copy_rows(x, b, e, xb);
    const Tensor* t = &xb;
    if (target) {
      copy_rows(*target, b, e, tb);
      t = &tb;
    }
    beta = model.eval_loss(xb, *t, recon.data() + b, model.is_vae() ? kl.data() + b : nullptr).beta;
  }
  model.set_rng(nullptr);
  SplitLoss r;
  if (keep_per_sample) r.per_sample.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    r.recon += recon[i] / n;
    r.kl += kl[i] / n;
    if (keep_per_sample) r.per_sample[i] = recon[i] + beta * kl[i];
  }
  r.loss = r.recon + beta * r.kl;
  return r;
}

}  // namespace aekit::eval
