#include "data/text/tokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace aekit::data::text {
namespace {

constexpr std::string_view kLead = "\"'([{<$#+*";
constexpr std::string_view kTrail = "\"')]}>,;:!?%+*";
constexpr std::string_view kClosers = "\"')]}";
constexpr std::array<std::string_view, 6> kClitics = {"'s", "'re", "'ve", "'ll", "'d", "'m"};

// Lower-case, without the final dot.
constexpr std::array<std::string_view, 56> kAbbreviations = {
    "mr",   "mrs",  "ms",    "dr",   "prof", "sr",   "jr",    "st",    "mt",   "ft",
    "inc",  "corp", "co",    "cos",  "ltd",  "plc",  "bros",  "llc",   "pty",  "cie",
    "gov",  "sen",  "rep",   "gen",  "col",  "lt",   "sgt",   "capt",  "adm",  "messrs",
    "dept", "est",  "approx", "vs",  "ave",  "blvd", "jan",   "feb",   "mar",  "apr",
    "jun",  "jul",  "aug",   "sep",  "sept", "oct",  "nov",   "dec",   "mon",  "tue",
    "tues", "wed",  "thu",   "thur", "thurs", "fri"};

// After an abbreviation these still start a new sentence ("... Acme Inc. The company ...").
constexpr std::array<std::string_view, 11> kStarters = {"The", "It", "He", "She", "They", "We",
                                                        "In", "This", "But", "Its", "A"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lowered(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = lower(c);
  return r;
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         std::equal(suffix.begin(), suffix.end(), s.end() - suffix.size(),
                    [](char a, char b) { return lower(a) == lower(b); });
}

std::vector<std::string_view> chunks(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// The chunk without its leading openers and trailing closers: the word a '.' belongs to.
std::string_view core(std::string_view w) {
  while (!w.empty() && kLead.find(w.front()) != std::string_view::npos) w.remove_prefix(1);
  while (!w.empty() && kClosers.find(w.back()) != std::string_view::npos) w.remove_suffix(1);
  return w;
}

bool ends_sentence(std::string_view chunk, std::string_view next) {
  const std::string_view w = core(chunk);
  if (w.empty() || (w.back() != '.' && w.back() != '!' && w.back() != '?')) return false;
  if (next.empty()) return true;
  const std::string_view n = core(next);
  if (w.back() == '.' && is_abbreviation(w))
    return next.front() == '"' || std::find(kStarters.begin(), kStarters.end(), n) != kStarters.end();
  return n.empty() || !is_lower(n.front());
}

// Splits a paragraph's chunks into sentences.
void add_sentences(const std::vector<std::string_view>& words, std::vector<std::string>& out) {
  std::string sentence;
  for (size_t k = 0; k < words.size(); ++k) {
    if (!sentence.empty()) sentence += ' ';
    sentence += words[k];
    if (ends_sentence(words[k], k + 1 < words.size() ? words[k + 1] : std::string_view())) {
      out.push_back(std::move(sentence));
      sentence.clear();
    }
  }
  if (!sentence.empty()) out.push_back(std::move(sentence));
}

// Rules 1-3 of tokenize_words on one part of a chunk (no "--" or "..." inside).
void tokenize_part(std::string_view p, std::vector<std::string>& out) {
  if (p.empty()) return;
  for (std::string_view c : kClitics)
    if (p.size() == c.size() && iends_with(p, c)) {  // a clitic standing alone
      out.emplace_back(p);
      return;
    }
  while (!p.empty() && kLead.find(p.front()) != std::string_view::npos) {
    out.emplace_back(1, p.front());
    p.remove_prefix(1);
  }
  std::vector<std::string> tail;  // reversed
  while (!p.empty()) {
    const char c = p.back();
    if (kTrail.find(c) != std::string_view::npos) {
      tail.emplace_back(1, c);
    } else if (c == '.' && (p.size() == 1 || !is_abbreviation(p))) {
      tail.emplace_back(".");
    } else {
      break;
    }
    p.remove_suffix(1);
  }
  std::string_view clitic;
  if (p.size() > 3 && iends_with(p, "n't")) clitic = p.substr(p.size() - 3);
  for (std::string_view c : kClitics)
    if (clitic.empty() && p.size() > c.size() && iends_with(p, c)) clitic = p.substr(p.size() - c.size());
  p.remove_suffix(clitic.size());
  if (!p.empty()) out.emplace_back(p);
  if (!clitic.empty()) out.emplace_back(clitic);
  out.insert(out.end(), tail.rbegin(), tail.rend());
}

}  // namespace

bool is_abbreviation(std::string_view w) {
  if (w.size() < 2 || w.back() != '.') return false;
  const std::string_view base = w.substr(0, w.size() - 1);
  if (base.size() == 1) return is_alpha(base[0]);
  const std::string b = lowered(base);
  if (std::find(kAbbreviations.begin(), kAbbreviations.end(), b) != kAbbreviations.end()) return true;
  // Dotted acronym: letter (. letter)+ ("u.s", "a.m").
  if (base.size() % 2 == 0) return false;
  for (size_t i = 0; i < base.size(); ++i)
    if (i % 2 == 0 ? !is_alpha(base[i]) : base[i] != '.') return false;
  return true;
}

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    // A paragraph ends at a newline followed by indentation or another newline, or at the end.
    const bool end = i == text.size() ||
                     (text[i] == '\n' && i + 1 < text.size() &&
                      (text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\n'));
    if (!end) continue;
    add_sentences(chunks(text.substr(start, i - start)), out);
    start = i + 1;
  }
  return out;
}

std::vector<std::string> tokenize_words(std::string_view sentence) {
  std::vector<std::string> out;
  for (std::string_view chunk : chunks(sentence)) {
    // Rule 4: "--" and "..." separate the words around them.
    size_t from = 0;
    for (size_t i = 0; i < chunk.size();) {
      const std::string_view rest = chunk.substr(i);
      const size_t len = rest.starts_with("...") ? 3 : rest.starts_with("--") ? 2 : 0;
      if (len == 0) {
        ++i;
        continue;
      }
      tokenize_part(chunk.substr(from, i - from), out);
      out.emplace_back(rest.substr(0, len));
      i += len;
      from = i;
    }
    tokenize_part(chunk.substr(from), out);
  }
  return out;
}

std::string normalize_token(std::string_view token) {
  bool digits = false, number = true;
  for (char c : token) {
    if (c >= '0' && c <= '9') digits = true;
    else if (c != '.' && c != ',' && c != '-' && c != '/') number = false;
  }
  if (number && digits) return "9";
  return lowered(token);
}

std::vector<std::vector<std::string>> tokenize_text(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  for (const std::string& s : split_sentences(text)) {
    std::vector<std::string> tokens = tokenize_words(s);
    for (std::string& t : tokens) t = normalize_token(t);
    if (!tokens.empty()) out.push_back(std::move(tokens));
  }
  return out;
}

}  // namespace aekit::data::text
