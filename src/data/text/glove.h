// GloVe word vectors (text format: one word per line followed by its `dim` numbers, separated by
// spaces; no header) -> the embedding table of a vocabulary.
//
// Row id of the table is the vector of vocabulary word id:
//   PAD (0)  zeros, so padding carries no signal;
//   UNK (1)  uniform(-1, 1), drawn from a generator seeded with `seed`;
//   a word GloVe lacks  gets the UNK vector too (has_vector[id] = 0), like an unknown word.
// Lines may end in CRLF; blank lines are skipped; a UTF-8 byte order mark is ignored; the first
// line wins when a word repeats. Errors (InputError, one line): "PATH:LINE: expected 51 fields,
// found 37", "PATH:LINE: field 3 'abc' is not a number", "PATH: no word vectors".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/text/vocabulary.h"
#include "tensor/tensor.h"

namespace aekit::data::text {

struct Embeddings {
  Tensor table;                     // [vocab size, dim]
  std::vector<uint8_t> has_vector;  // per id: 1 when the row is the word's own GloVe vector
  int64_t found = 0;                // vocabulary words (PAD, UNK excluded) GloVe has
};

Embeddings load_glove(const std::string& path, const Vocabulary& vocab, int64_t dim = 50,
                      uint64_t seed = 0);

}  // namespace aekit::data::text
