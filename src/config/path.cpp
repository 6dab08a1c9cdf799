#include "config/path.h"

#include <algorithm>

#include "tensor/error.h"

namespace aekit::config {

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

std::string index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

void fail(const std::string& path, const std::string& problem) {
  throw InputError(path.empty() ? problem : path + ": " + problem);
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters ("adma" -> "adam") each cost 1.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string suggestion(const std::string& key, const std::vector<std::string>& valid) {
  // Keras / PyTorch spellings of our keys, which edit distance would not find.
  static const std::pair<const char*, const char*> kOtherSpellings[] = {
      {"learning_rate", "lr"}, {"eps", "epsilon"}, {"pool_size", "pool"}, {"kernel_size", "kernel"},
      {"strides", "stride"}, {"p", "rate"}, {"out_features", "units"}, {"out_channels", "filters"}};
  for (const auto& [other, ours] : kOtherSpellings)
    if (key == other && std::find(valid.begin(), valid.end(), ours) != valid.end())
      return std::string(" (did you mean \"") + ours + "\"?)";
  std::string best;
  if (key.size() <= 2) return "";
  size_t best_d = std::max<size_t>(2, key.size() / 3) + 1;  // accept distances up to max(2, len / 3)
  for (const auto& v : valid) {
    // A Keras spelling that contains ours ("kernel_size" for "kernel", "strides") counts as close.
    const bool contains = v.size() >= 3 && (key.find(v) != std::string::npos || v.find(key) != std::string::npos);
    const size_t d = contains ? 1 : edit_distance(key, v);
    if (d < best_d) best_d = d, best = v;
  }
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

std::string join_values(const std::vector<std::string>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s += i + 1 == values.size() ? " or " : ", ";
    s += "\"" + values[i] + "\"";
  }
  return s;
}

std::string describe_json(const nlohmann::json& v) {
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  switch (v.type()) {
    case nlohmann::json::value_t::string: return "string " + text;
    case nlohmann::json::value_t::boolean: return "boolean " + text;
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array " + text;
    default: return "number " + text;
  }
}

}  // namespace aekit::config
