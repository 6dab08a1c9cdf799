// The sentence corpus of the LSTM autoencoder (source chapter 002): Reuters stories -> sentences
// -> normalised tokens -> top-N vocabulary -> fixed-length id sequences -> GloVe vectors, with a
// seeded train/test split and the corpus figures.
//
//   SentenceCorpus c = load_reuters_sentences("/data/reuters21578", "/data/glove.6B.50d.txt", {});
//   c.train.x   [N_train, 50, 50]  embedded sentences (the autoencoder's input and target)
//   c.train.ids [N_train, 50]      their token ids (nearest-word decoding, display)
//   c.embeddings.table [5000, 50]  the id -> vector table
//   describe(c.stats, 50)          the figures to print
//
// Pipeline (each step's rules live in the named header):
//   1. reuters.h: TITLE and BODY of every story, in file and story order;
//   2. tokenizer.h: the title and the body are split into sentences separately, tokenised and
//      normalised (lower case, numbers -> "9"); sentences without tokens are dropped;
//   3. vocabulary.h: word frequencies over all sentences, PAD, UNK + the top vocab_size - 2;
//   4. sequences.h: ids padded / truncated to seq_len (Keras defaults: pre, pre);
//   5. split.h: floor(train_fraction * N) sentences train, the rest test, shuffled by seed;
//   6. glove.h: the table; UNK's vector is drawn with seed + 1.
// Memory: x takes N * seq_len * dim * 4 bytes (~0.5 GB per 50k sentences at 50 x 50); set
// embed = false to get ids only and embed batches with embed_ids().
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/text/glove.h"
#include "data/text/reuters.h"
#include "data/text/sequences.h"
#include "data/text/stats.h"
#include "data/text/vocabulary.h"
#include "tensor/tensor.h"

namespace aekit::data::text {

struct SentenceOptions {
  int64_t vocab_size = 5000;  // ids, PAD and UNK included
  int64_t seq_len = 50;
  int64_t embed_dim = 50;     // GloVe file dimension
  double train_fraction = 0.7;
  uint64_t seed = 42;         // split (seed) and UNK vector (seed + 1)
  Side padding = Side::pre;
  Side truncating = Side::pre;
  int64_t max_sentences = 0;  // > 0: keep only the first ones (corpus order), for quick runs
  bool embed = true;          // fill SentenceSet::x
};

struct SentenceSet {
  Tensor x;                            // [n, seq_len, embed_dim] when options.embed
  TokenIds ids;                        // [n, seq_len]
  std::vector<std::string> sentences;  // the sentence text as split (white space collapsed)
  std::vector<int64_t> index;          // position of each sentence in corpus order

  int64_t size() const { return ids.rows; }
};

struct SentenceCorpus {
  SentenceSet train, test;
  Vocabulary vocab;
  Embeddings embeddings;
  CorpusStats stats;
};

// InputError for a missing folder / file, malformed SGML or GloVe (FILE:LINE: ...), a corpus
// without sentences, and options out of range.
SentenceCorpus load_reuters_sentences(const std::string& reuters_dir, const std::string& glove_path,
                                      const SentenceOptions& options = {});

// Steps 2-6 on stories already read (tests, other corpora).
SentenceCorpus build_sentence_corpus(const std::vector<Story>& stories, const std::string& glove_path,
                                     const SentenceOptions& options, const std::string& source);

// A piece of text the user typed, as ONE sentence (no splitting), in the corpus's id space:
// tokenised, normalised and padded like the corpus.
std::vector<int32_t> encode_sentence(const std::string& text, const Vocabulary& vocab,
                                     const SentenceOptions& options);

}  // namespace aekit::data::text
