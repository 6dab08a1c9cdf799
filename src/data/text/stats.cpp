#include "data/text/stats.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "tensor/error.h"

namespace aekit::data::text {

LengthStats length_stats(std::vector<int64_t> lengths) {
  require(!lengths.empty(), "no sentences to describe");
  std::sort(lengths.begin(), lengths.end());
  const size_t n = lengths.size();
  LengthStats s;
  s.min = lengths.front();
  s.max = lengths.back();
  s.mean = static_cast<double>(std::accumulate(lengths.begin(), lengths.end(), int64_t{0})) / n;
  s.median = n % 2 ? lengths[n / 2] : 0.5 * (lengths[n / 2 - 1] + lengths[n / 2]);
  return s;
}

std::string describe(const CorpusStats& s, int64_t sequence_length) {
  char buf[1024];
  std::string out;
  std::snprintf(buf, sizeof buf, "sentences %lld from %lld stories (train %lld, test %lld)\n",
                (long long)s.sentences, (long long)s.stories, (long long)s.train, (long long)s.test);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "sentence length in tokens: min %lld, max %lld, mean %.2f, median %.1f "
                "(%lld longer than %lld, truncated)\n",
                (long long)s.tokens.min, (long long)s.tokens.max, s.tokens.mean, s.tokens.median,
                (long long)s.truncated, (long long)sequence_length);
  out += buf;
  std::snprintf(buf, sizeof buf, "sentence length in characters: min %lld, max %lld, mean %.2f, median %.1f\n",
                (long long)s.chars.min, (long long)s.chars.max, s.chars.mean, s.chars.median);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "vocabulary: %lld distinct words; kept %lld ids (PAD, UNK + %lld words) covering "
                "%.1f%% of tokens; %lld of the kept words have a GloVe vector\n",
                (long long)s.distinct_words, (long long)s.vocab_size, (long long)(s.vocab_size - 2),
                100.0 * s.vocab_coverage, (long long)s.glove_found);
  out += buf;
  return out;
}

}  // namespace aekit::data::text
