#include "data/text/corpus.h"

#include "data/text/split.h"
#include "data/text/tokenizer.h"
#include "tensor/error.h"

namespace aekit::data::text {
namespace {

void check(const SentenceOptions& o) {
  require(o.vocab_size >= 3, "vocab_size must be at least 3, got " + std::to_string(o.vocab_size));
  require(o.seq_len > 0, "seq_len must be positive, got " + std::to_string(o.seq_len));
  require(o.embed_dim > 0, "embed_dim must be positive, got " + std::to_string(o.embed_dim));
  require(o.train_fraction > 0 && o.train_fraction < 1,
          "train_fraction must lie strictly between 0 and 1, got " + std::to_string(o.train_fraction));
  require(o.max_sentences >= 0, "max_sentences must not be negative");
}

struct Sentence {
  std::string text;
  std::vector<std::string> tokens;
};

SentenceSet make_set(const std::vector<Sentence>& all, const TokenIds& ids,
                     const std::vector<int64_t>& rows, const Embeddings& emb, bool embed) {
  SentenceSet s;
  s.ids = take_rows(ids, rows);
  s.index = rows;
  for (int64_t r : rows) s.sentences.push_back(all[r].text);
  if (embed) s.x = embed_ids(s.ids, emb.table);
  return s;
}

}  // namespace

SentenceCorpus build_sentence_corpus(const std::vector<Story>& stories, const std::string& glove_path,
                                     const SentenceOptions& o, const std::string& source) {
  check(o);
  std::vector<Sentence> all;
  const auto full = [&] { return o.max_sentences > 0 && static_cast<int64_t>(all.size()) == o.max_sentences; };
  for (const Story& story : stories) {
    for (const std::string* part : {&story.title, &story.body}) {
      for (std::string& s : split_sentences(*part)) {
        if (full()) break;
        std::vector<std::string> tokens = tokenize_words(s);
        for (std::string& t : tokens) t = normalize_token(t);
        if (!tokens.empty()) all.push_back({std::move(s), std::move(tokens)});
      }
    }
    if (full()) break;
  }
  require(!all.empty(), source + ": no sentences in " + std::to_string(stories.size()) +
                            " stories (every TITLE and BODY is empty)");
  const int64_t n = static_cast<int64_t>(all.size());

  SentenceCorpus c;
  WordCounts counts;
  for (const Sentence& s : all) counts.add(s.tokens);
  c.vocab = Vocabulary::from_counts(counts, o.vocab_size);

  TokenIds ids;
  ids.rows = n;
  ids.length = o.seq_len;
  ids.ids.reserve(n * o.seq_len);
  int64_t known = 0, total = 0;
  std::vector<int64_t> token_lengths, char_lengths;
  for (const Sentence& s : all) {
    const std::vector<int32_t> row = pad_ids(s.tokens, c.vocab, o.seq_len, o.padding, o.truncating);
    ids.ids.insert(ids.ids.end(), row.begin(), row.end());
    for (const std::string& t : s.tokens) known += c.vocab.id(t) != Vocabulary::kUnk;
    total += static_cast<int64_t>(s.tokens.size());
    token_lengths.push_back(static_cast<int64_t>(s.tokens.size()));
    char_lengths.push_back(static_cast<int64_t>(s.text.size()));
    c.stats.truncated += static_cast<int64_t>(s.tokens.size()) > o.seq_len;
  }

  const Split split = train_test_split(n, o.train_fraction, o.seed);
  require(!split.train.empty() && !split.test.empty(),
          source + ": " + std::to_string(n) + " sentences are too few for a train/test split");
  c.embeddings = load_glove(glove_path, c.vocab, o.embed_dim, o.seed + 1);
  c.train = make_set(all, ids, split.train, c.embeddings, o.embed);
  c.test = make_set(all, ids, split.test, c.embeddings, o.embed);

  c.stats.stories = static_cast<int64_t>(stories.size());
  c.stats.sentences = n;
  c.stats.tokens = length_stats(token_lengths);
  c.stats.chars = length_stats(char_lengths);
  c.stats.distinct_words = counts.distinct();
  c.stats.vocab_size = c.vocab.size();
  c.stats.vocab_coverage = static_cast<double>(known) / static_cast<double>(total);
  c.stats.glove_found = c.embeddings.found;
  c.stats.train = c.train.size();
  c.stats.test = c.test.size();
  return c;
}

SentenceCorpus load_reuters_sentences(const std::string& reuters_dir, const std::string& glove_path,
                                      const SentenceOptions& options) {
  check(options);
  return build_sentence_corpus(read_reuters_dir(reuters_dir), glove_path, options, reuters_dir);
}

std::vector<int32_t> encode_sentence(const std::string& text, const Vocabulary& vocab,
                                     const SentenceOptions& options) {
  std::vector<std::string> tokens = tokenize_words(text);
  for (std::string& t : tokens) t = normalize_token(t);
  return pad_ids(tokens, vocab, options.seq_len, options.padding, options.truncating);
}

}  // namespace aekit::data::text
