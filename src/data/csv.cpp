#include "data/csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "data/input_file.h"
#include "tensor/error.h"

namespace aekit::data {
namespace {

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string_view> split(std::string_view line, char delimiter) {
  std::vector<std::string_view> fields;
  for (;;) {
    const size_t at = line.find(delimiter);
    fields.push_back(trim(line.substr(0, at)));
    if (at == std::string_view::npos) return fields;
    line.remove_prefix(at + 1);
  }
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A field as it may appear inside a one-line error message: short, no control characters.
std::string quoted(std::string_view field) {
  std::string s(field.substr(0, 40));
  for (char& c : s)
    if (std::iscntrl(static_cast<unsigned char>(c))) c = '?';
  return "'" + s + (field.size() > 40 ? "...'" : "'");
}

// A finite number filling the whole field (a leading '+' allowed, which from_chars rejects).
bool parse_number(std::string_view s, double& value) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(value);
}

}  // namespace

Table read_csv(const std::string& path, const CsvOptions& options) {
  const std::string text = read_input_file(path);
  std::string_view rest = text;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);

  Table table;
  size_t width = options.expected_columns > 0 ? static_cast<size_t>(options.expected_columns) : 0;
  bool header_pending = options.has_header;
  for (int64_t line_no = 1; !rest.empty(); ++line_no) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    // Skip blank lines; a line of bare delimiters is a row of missing values, not blank.
    if (trim(line).empty() && line.find(options.delimiter) == std::string_view::npos) continue;

    const std::vector<std::string_view> fields = split(line, options.delimiter);
    // Built only on error: require() would format the message for every line.
    const auto where = [&] { return path + ":" + std::to_string(line_no) + ": "; };
    if (width == 0) width = fields.size();
    if (fields.size() != width)
      throw InputError(where() + "expected " + std::to_string(width) + " fields, found " +
                       std::to_string(fields.size()));
    if (header_pending) {
      header_pending = false;
      for (std::string_view f : fields) table.columns.emplace_back(f);
      continue;
    }
    std::vector<double>& row = table.rows.emplace_back(width);
    for (size_t i = 0; i < width; ++i) {
      const std::string_view f = fields[i];
      const auto is_marker = [&](const std::string& m) { return equals_ignoring_case(f, m); };
      if (std::any_of(options.missing.begin(), options.missing.end(), is_marker))
        row[i] = std::numeric_limits<double>::quiet_NaN();
      else if (!parse_number(f, row[i]))
        throw InputError(where() + "field " + std::to_string(i + 1) + " " + quoted(f) +
                         " is not a number");
    }
  }
  require(!table.rows.empty(), path + ": no data rows");
  if (table.columns.empty())
    for (size_t i = 0; i < width; ++i) table.columns.push_back("c" + std::to_string(i));
  return table;
}

Table drop_rows_with_missing(const Table& table, int64_t* dropped) {
  Table out;
  out.columns = table.columns;
  for (const auto& row : table.rows)
    if (std::none_of(row.begin(), row.end(), [](double v) { return std::isnan(v); }))
      out.rows.push_back(row);
  if (dropped) *dropped = static_cast<int64_t>(table.rows.size() - out.rows.size());
  return out;
}

Tensor to_tensor(const Table& table, const std::vector<int>& cols) {
  std::vector<int> use = cols;
  if (use.empty()) {
    use.resize(table.columns.size());
    for (size_t i = 0; i < use.size(); ++i) use[i] = static_cast<int>(i);
  }
  const int width = static_cast<int>(table.columns.size());
  for (int c : use)
    require(c >= 0 && c < width, "column " + std::to_string(c) + " out of range (table has " +
                                     std::to_string(width) + " columns)");
  const int64_t n = static_cast<int64_t>(table.rows.size());
  const int64_t f = static_cast<int64_t>(use.size());
  Tensor t({n, f});
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j) t[r * f + j] = static_cast<float>(table.rows[r][use[j]]);
  return t;
}

}  // namespace aekit::data
