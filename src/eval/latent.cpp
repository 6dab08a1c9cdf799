#include "eval/latent.h"

#include <algorithm>
#include <cstring>

#include "eval/evaluate.h"

namespace aekit::eval {
namespace {
// Runs f over row blocks of src and stacks its outputs.
template <class F>
Tensor map_rows(const Tensor& src, int64_t batch, F f) {
  const int64_t n = src.dim(0);
  Tensor out, xb;
  for (int64_t b = 0; b < n; b += batch) {
    const int64_t e = std::min(n, b + batch);
    copy_rows(src, b, e, xb);
    const Tensor& y = f(xb);
    if (b == 0) {
      Shape s = y.shape();
      s[0] = n;
      out.resize(s);
    }
    std::memcpy(out.data() + b * y.sample_size(), y.data(), y.size() * sizeof(float));
  }
  return out;
}
}  // namespace

Tensor encode_all(models::Autoencoder& model, const Tensor& x, int64_t batch) {
  return map_rows(x, batch, [&](const Tensor& xb) -> const Tensor& { return model.encode(xb); });
}

Tensor decode_all_reconstructions(models::Autoencoder& model, const Tensor& x, int64_t batch) {
  return map_rows(x, batch, [&](const Tensor& xb) -> const Tensor& { return model.reconstruct(xb); });
}

Tensor decode_all(models::Autoencoder& model, const Tensor& z, int64_t batch) {
  return map_rows(z, batch, [&](const Tensor& zb) -> const Tensor& { return model.decode(zb); });
}

}  // namespace aekit::eval
