// Word frequencies and the id vocabulary of a corpus.
//
// Ids: PAD = 0 (padding), UNK = 1 (any word outside the vocabulary), then the most frequent
// words: id 2 the most frequent, ties broken by the words' byte order, so the same corpus always
// gives the same ids. Tokens are lower-case (tokenizer.h), so the names "PAD" and "UNK" never
// collide with a word.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aekit::data::text {

class WordCounts {
 public:
  void add(const std::string& word) { ++counts_[word]; }
  void add(const std::vector<std::string>& words) {
    for (const std::string& w : words) add(w);
  }
  int64_t distinct() const { return static_cast<int64_t>(counts_.size()); }
  int64_t count(const std::string& word) const;
  // (word, count), most frequent first, ties by word.
  std::vector<std::pair<std::string, int64_t>> most_common() const;

 private:
  std::unordered_map<std::string, int64_t> counts_;
};

class Vocabulary {
 public:
  static constexpr int32_t kPad = 0, kUnk = 1;

  // PAD, UNK and the size - 2 most frequent words (fewer when the corpus has fewer).
  // size < 3 is an InputError.
  static Vocabulary from_counts(const WordCounts& counts, int64_t size);
  // The words in id order (ids 0 and 1 are "PAD" and "UNK"), e.g. as saved by words().
  static Vocabulary from_words(std::vector<std::string> words);

  int64_t size() const { return static_cast<int64_t>(words_.size()); }
  int32_t id(const std::string& word) const;  // kUnk when absent
  const std::string& word(int32_t id) const { return words_.at(id); }
  const std::vector<std::string>& words() const { return words_; }

 private:
  std::vector<std::string> words_;
  std::unordered_map<std::string, int32_t> ids_;
};

}  // namespace aekit::data::text
