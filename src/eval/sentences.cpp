#include "eval/sentences.h"

#include <algorithm>

#include "eval/cosine.h"
#include "eval/evaluate.h"
#include "eval/latent.h"
#include "kernels/matmul.h"
#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::eval {

Tensor sentence_vectors(models::Autoencoder& model, const data::text::TokenIds& ids, const Tensor& table,
                        int64_t batch) {
  require(ids.rows > 0, "sentence_vectors: no sentences");
  // Embedding batch by batch keeps memory at one batch of vectors.
  Tensor out;
  for (int64_t b0 = 0; b0 < ids.rows; b0 += batch) {
    const int64_t m = std::min(batch, ids.rows - b0);
    std::vector<int64_t> rows(m);
    for (int64_t i = 0; i < m; ++i) rows[i] = b0 + i;
    const Tensor& code = model.encode(data::text::embed_ids(data::text::take_rows(ids, rows), table));
    if (out.empty()) out = Tensor({ids.rows, code.sample_size()});
    std::copy(code.data(), code.data() + code.size(), out.data() + b0 * code.sample_size());
  }
  return out;
}

std::vector<int64_t> sample_rows(int64_t total, int64_t n, uint64_t seed) {
  std::vector<int64_t> all(total);
  for (int64_t i = 0; i < total; ++i) all[i] = i;
  Rng rng(seed);
  n = std::clamp<int64_t>(n, 0, total);
  // Partial Fisher-Yates: the first n positions are a uniform draw without replacement.
  for (int64_t i = 0; i < n; ++i) std::swap(all[i], all[i + static_cast<int64_t>(rng.below(total - i))]);
  all.resize(n);
  return all;
}


ReconstructionCosine reconstruction_cosine(models::Autoencoder& model, const data::text::TokenIds& ids,
                                           const Tensor& table, const std::vector<int64_t>& rows, int64_t batch) {
  require(!rows.empty(), "reconstruction_cosine: no sentences to evaluate");
  ReconstructionCosine r;
  r.rows = rows;
  const data::text::TokenIds sel = data::text::take_rows(ids, rows);
  const Tensor x = data::text::embed_ids(sel, table);
  const Tensor y = decode_all_reconstructions(model, x, batch);
  r.cosine = rowwise_cosine(encode_all(model, x, batch), encode_all(model, y, batch));
  r.decoded.rows = sel.rows;
  r.decoded.length = sel.length;
  r.decoded.ids = nearest_rows_l2(y, table);
  std::vector<double> s = r.cosine;
  std::sort(s.begin(), s.end());
  const size_t n = s.size();
  r.min = s.front();
  r.max = s.back();
  r.median = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  for (double c : s) r.mean += c / static_cast<double>(n);
  return r;
}

std::string ids_to_text(const int32_t* ids, int64_t length, const data::text::Vocabulary& vocab) {
  std::string s;
  for (int64_t t = 0; t < length; ++t)
    if (ids[t] != data::text::Vocabulary::kPad) s += (s.empty() ? "" : " ") + vocab.word(ids[t]);
  return s;
}

}  // namespace aekit::eval
