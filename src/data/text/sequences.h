// Fixed-length id sequences and their embedding.
//
// pad_ids follows Keras's pad_sequences, which the source chapter uses: a sequence shorter than
// `length` is filled with PAD on the `padding` side, a longer one loses tokens on the
// `truncating` side. Keras's defaults are pre / pre: the words a sentence ends with are kept and
// sit next to the end of the sequence, where a forward LSTM's final state is read.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/text/vocabulary.h"
#include "tensor/tensor.h"

namespace aekit::data::text {

enum class Side { pre, post };
Side parse_side(const std::string& s);  // "pre" / "post", InputError otherwise

// rows x length token ids, row-major.
struct TokenIds {
  int64_t rows = 0, length = 0;
  std::vector<int32_t> ids;
  const int32_t* row(int64_t r) const { return ids.data() + r * length; }
};

// Ids of the tokens (UNK for words outside the vocabulary), padded / truncated to length.
std::vector<int32_t> pad_ids(const std::vector<std::string>& tokens, const Vocabulary& vocab,
                             int64_t length, Side padding = Side::pre, Side truncating = Side::pre);

// [rows, length, dim]: row r, step t is table[ids(r, t)]. Ids must be < table.dim(0).
Tensor embed_ids(const TokenIds& ids, const Tensor& table);

// The chosen rows, in that order (std::out_of_range for a bad index).
TokenIds take_rows(const TokenIds& ids, const std::vector<int64_t>& rows);

}  // namespace aekit::data::text
