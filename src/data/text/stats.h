// Corpus figures, as the source chapter prints them before choosing VOCAB_SIZE and
// SEQUENCE_LEN (it measures sentence length in characters; we give tokens and characters).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aekit::data::text {

struct LengthStats {
  int64_t min = 0, max = 0;
  double mean = 0, median = 0;  // median of an even count: mean of the two middle values
};

// InputError for an empty list.
LengthStats length_stats(std::vector<int64_t> lengths);

struct CorpusStats {
  int64_t stories = 0;
  int64_t sentences = 0;
  LengthStats tokens;          // sentence length in tokens
  LengthStats chars;           // sentence length in bytes of text
  int64_t distinct_words = 0;  // the full vocabulary ("Vocab size (full)")
  int64_t vocab_size = 0;      // ids kept, PAD and UNK included
  double vocab_coverage = 0;   // share of token occurrences with their own id (not UNK)
  int64_t glove_found = 0;     // kept words with a GloVe vector
  int64_t truncated = 0;       // sentences longer than the sequence length
  int64_t train = 0, test = 0;
};

// A few lines of text, e.g.
//   sentences 98765 from 21578 stories (train 69135, test 29630)
//   sentence length in tokens: min 1, max 411, mean 24.3, median 22 (1234 longer than 50, truncated)
//   sentence length in characters: min 2, max 2456, mean 131.5, median 119
//   vocabulary: 41000 distinct words; kept 5000 ids (PAD, UNK + 4998 words) covering 93.1% of tokens;
//   2301 of the kept words have a GloVe vector
std::string describe(const CorpusStats& s, int64_t sequence_length);

}  // namespace aekit::data::text
