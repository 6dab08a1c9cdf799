#include "data/text/vocabulary.h"

#include <algorithm>

#include "tensor/error.h"

namespace aekit::data::text {

int64_t WordCounts::count(const std::string& word) const {
  const auto it = counts_.find(word);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<std::pair<std::string, int64_t>> WordCounts::most_common() const {
  std::vector<std::pair<std::string, int64_t>> v(counts_.begin(), counts_.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return v;
}

Vocabulary Vocabulary::from_counts(const WordCounts& counts, int64_t size) {
  require(size >= 3, "vocabulary size must be at least 3 (PAD, UNK and one word), got " +
                         std::to_string(size));
  std::vector<std::string> words = {"PAD", "UNK"};
  for (auto& [w, n] : counts.most_common()) {
    if (static_cast<int64_t>(words.size()) == size) break;
    words.push_back(w);
  }
  return from_words(std::move(words));
}

Vocabulary Vocabulary::from_words(std::vector<std::string> words) {
  require(words.size() >= 2 && words[0] == "PAD" && words[1] == "UNK",
          "a vocabulary starts with PAD and UNK");
  Vocabulary v;
  v.words_ = std::move(words);
  for (size_t i = 0; i < v.words_.size(); ++i) {
    const bool fresh = v.ids_.emplace(v.words_[i], static_cast<int32_t>(i)).second;
    require(fresh, "vocabulary lists '" + v.words_[i] + "' twice");
  }
  return v;
}

int32_t Vocabulary::id(const std::string& word) const {
  const auto it = ids_.find(word);
  return it == ids_.end() ? kUnk : it->second;
}

}  // namespace aekit::data::text
