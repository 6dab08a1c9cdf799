#include "data/text/reuters.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string_view>

#include "data/input_file.h"
#include "tensor/error.h"

namespace aekit::data::text {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A character as story text: control codes become a space (they are wire-service markers),
// white space stays (the sentence splitter reads paragraph breaks), the rest is UTF-8.
void append_char(std::string& out, uint32_t cp) {
  if (cp == '\n' || cp == '\t') out += static_cast<char>(cp);
  else if (cp < 32 || cp == 127) out += ' ';
  else append_utf8(out, cp);
}

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

// A short excerpt for messages: no control characters, at most 30 bytes.
std::string excerpt(std::string_view s) {
  std::string e(s.substr(0, 30));
  for (char& c : e)
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) >= 127) c = '?';
  return e + (s.size() > 30 ? "..." : "");
}

void drop_signoff(std::string& body) {
  auto trim_end = [&] {
    while (!body.empty() && is_space(body.back())) body.pop_back();
  };
  trim_end();
  for (std::string_view sign : {"Reuter", "REUTER"})
    if (body.ends_with(sign) && (body.size() == sign.size() || is_space(body[body.size() - sign.size() - 1]))) {
      body.resize(body.size() - sign.size());
      trim_end();
      return;
    }
}

class Parser {
 public:
  Parser(const std::string& path, std::string_view text) : path_(path), s_(text) {}

  std::vector<Story> run() {
    while (pos_ < s_.size()) {
      if (s_[pos_] == '<') tag();
      else text();
    }
    if (!stack_.empty())
      fail(s_.size(), "end of file inside <" + stack_.back().name + "> opened at line " +
                          std::to_string(stack_.back().line));
    return std::move(stories_);
  }

 private:
  struct Open {
    std::string name;
    int64_t line;
  };

  // Line of a byte offset; offsets are asked for in increasing order.
  int64_t line_at(size_t pos) {
    for (; line_pos_ < pos && line_pos_ < s_.size(); ++line_pos_)
      if (s_[line_pos_] == '\n') ++line_;
    return line_;
  }

  [[noreturn]] void fail(size_t pos, const std::string& what) {
    throw InputError(path_ + ":" + std::to_string(line_at(pos)) + ": " + what);
  }

  void tag() {
    if (s_.substr(pos_).starts_with("<!--")) {
      const size_t end = s_.find("-->", pos_ + 4);
      if (end == std::string_view::npos) fail(pos_, "unterminated comment '<!--'");
      pos_ = end + 3;
      return;
    }
    const size_t end = s_.find_first_of("<>", pos_ + 1);
    if (end == std::string_view::npos || s_[end] != '>')
      fail(pos_, "unterminated tag '" + excerpt(s_.substr(pos_)) + "'");
    const std::string_view inner = s_.substr(pos_ + 1, end - pos_ - 1);
    const size_t at = pos_;
    pos_ = end + 1;
    if (inner.starts_with("!")) return;  // <!DOCTYPE ...>
    const bool closing = inner.starts_with("/");
    size_t n = closing ? 1 : 0;
    while (n < inner.size() && is_alnum(inner[n])) ++n;
    const std::string name = upper(inner.substr(closing ? 1 : 0, n - (closing ? 1 : 0)));
    if (name.empty()) fail(at, "malformed tag '<" + excerpt(inner) + ">'");
    const int64_t line = line_at(at);
    if (closing) {
      if (stack_.empty()) fail(at, "</" + name + "> without a matching <" + name + ">");
      if (stack_.back().name != name)
        fail(at, "</" + name + "> closes <" + stack_.back().name + "> opened at line " +
                     std::to_string(stack_.back().line));
      stack_.pop_back();
      if (name == "REUTERS") drop_signoff(stories_.back().body);
    } else if (name == "REUTERS") {
      if (!stack_.empty())
        fail(at, "<REUTERS> inside <" + stack_.back().name + "> opened at line " +
                     std::to_string(stack_.back().line));
      Story& s = stories_.emplace_back();
      s.file = path_;
      s.line = line;
      s.newid = newid(inner);
      stack_.push_back({name, line});
    } else {
      if (stack_.empty()) fail(at, "<" + name + "> outside a <REUTERS> story");
      stack_.push_back({name, line});
    }
    sink_ = nullptr;
    if (!stack_.empty() && stack_.back().name == "TITLE") sink_ = &stories_.back().title;
    if (!stack_.empty() && stack_.back().name == "BODY") sink_ = &stories_.back().body;
  }

  static int64_t newid(std::string_view inner) {
    const size_t at = inner.find("NEWID=\"");
    if (at == std::string_view::npos) return -1;
    int64_t v = 0;
    size_t i = at + 7;
    if (i >= inner.size() || !is_digit(inner[i])) return -1;
    for (; i < inner.size() && is_digit(inner[i]); ++i) {
      if (v > (INT64_MAX - 9) / 10) return -1;  // no real id has 19 digits; and v * 10 would overflow
      v = v * 10 + (inner[i] - '0');
    }
    return v;
  }

  void text() {
    const size_t end = std::min(s_.find('<', pos_), s_.size());
    if (stack_.empty()) {
      for (size_t i = pos_; i < end; ++i)
        if (!is_space(s_[i])) fail(i, "text outside a <REUTERS> story: '" + excerpt(s_.substr(i, end - i)) + "'");
    } else if (sink_) {
      decode(end);
    }
    pos_ = end;
  }

  // Appends s_[pos_, end) to the current TITLE/BODY with references resolved.
  void decode(size_t end) {
    std::string& out = *sink_;
    for (size_t i = pos_; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(s_[i]);
      if (c != '&') {
        append_char(out, c);  // bytes >= 0x80 are Latin-1 code points
        continue;
      }
      size_t j = i + 1;
      if (j < end && s_[j] == '#') {
        uint32_t cp = 0;
        size_t k = j + 1;
        for (; k < end && is_digit(s_[k]) && cp <= 0x10FFFF; ++k) cp = cp * 10 + (s_[k] - '0');
        if (k == j + 1) {  // "&#" without digits: literal
          out += '&';
          continue;
        }
        if (cp == 0 || cp > 0x10FFFF)
          fail(i, "bad character reference '" + excerpt(s_.substr(i, k - i + 1)) + "'");
        append_char(out, cp);
        i = (k < end && s_[k] == ';') ? k : k - 1;
        continue;
      }
      if (j >= end || !is_alpha(s_[j])) {  // a lone '&' ("AT & T")
        out += '&';
        continue;
      }
      while (j < end && is_alnum(s_[j])) ++j;
      const std::string_view name = s_.substr(i + 1, j - i - 1);
      char v = 0;
      if (name == "lt") v = '<';
      else if (name == "gt") v = '>';
      else if (name == "amp") v = '&';
      else if (name == "quot") v = '"';
      else if (name == "apos") v = '\'';
      else fail(i, "unknown entity '&" + excerpt(name) + ";'");
      out += v;
      i = (j < end && s_[j] == ';') ? j : j - 1;
    }
  }

  const std::string& path_;
  std::string_view s_;
  size_t pos_ = 0, line_pos_ = 0;
  int64_t line_ = 1;
  std::vector<Open> stack_;
  std::vector<Story> stories_;
  std::string* sink_ = nullptr;
};

}  // namespace

std::vector<Story> read_reuters_sgml(const std::string& path) {
  const std::string bytes = read_input_file(path);
  return Parser(path, bytes).run();
}

std::vector<Story> read_reuters_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  require(fs::exists(dir, ec), dir + ": no such folder");
  require(fs::is_directory(dir, ec), dir + ": is not a folder (expected the Reuters-21578 folder)");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sgm" && !e.is_directory()) files.push_back(e.path().string());
  require(!files.empty(), dir + ": no .sgm files (expected the Reuters-21578 reut2-*.sgm files)");
  std::sort(files.begin(), files.end());
  std::vector<Story> all;
  for (const std::string& f : files) {
    std::vector<Story> s = read_reuters_sgml(f);
    all.insert(all.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
  }
  return all;
}

}  // namespace aekit::data::text
