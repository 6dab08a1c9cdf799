#include "data/text/sequences.h"

#include <cstring>
#include <stdexcept>

#include "tensor/error.h"

namespace aekit::data::text {

Side parse_side(const std::string& s) {
  if (s == "pre") return Side::pre;
  if (s == "post") return Side::post;
  throw InputError("unknown padding side '" + s + "' (expected pre or post)");
}

std::vector<int32_t> pad_ids(const std::vector<std::string>& tokens, const Vocabulary& vocab,
                             int64_t length, Side padding, Side truncating) {
  require(length > 0, "sequence length must be positive, got " + std::to_string(length));
  const int64_t n = static_cast<int64_t>(tokens.size());
  const int64_t keep = std::min(n, length);
  const int64_t first = truncating == Side::pre ? n - keep : 0;   // first token kept
  const int64_t at = padding == Side::pre ? length - keep : 0;    // where it goes
  std::vector<int32_t> ids(length, Vocabulary::kPad);
  for (int64_t i = 0; i < keep; ++i) ids[at + i] = vocab.id(tokens[first + i]);
  return ids;
}

Tensor embed_ids(const TokenIds& ids, const Tensor& table) {
  const int64_t V = table.dim(0), D = table.dim(1);
  Tensor x({ids.rows, ids.length, D});
  for (int64_t i = 0; i < ids.rows * ids.length; ++i) {
    const int32_t id = ids.ids[i];
    if (id < 0 || id >= V)
      throw std::out_of_range("embed_ids: id " + std::to_string(id) + " outside a table of " +
                              std::to_string(V) + " rows");
    std::memcpy(x.data() + i * D, table.data() + id * D, D * sizeof(float));
  }
  return x;
}

TokenIds take_rows(const TokenIds& ids, const std::vector<int64_t>& rows) {
  TokenIds out;
  out.rows = static_cast<int64_t>(rows.size());
  out.length = ids.length;
  out.ids.resize(out.rows * out.length);
  for (int64_t r = 0; r < out.rows; ++r) {
    if (rows[r] < 0 || rows[r] >= ids.rows)
      throw std::out_of_range("take_rows: row " + std::to_string(rows[r]) + " of " + std::to_string(ids.rows));
    std::memcpy(out.ids.data() + r * out.length, ids.row(rows[r]), out.length * sizeof(int32_t));
  }
  return out;
}

}  // namespace aekit::data::text
