// Numeric CSV tables (e.g. the UCI heart-disease data): every field is a number or a missing
// marker, which becomes NaN.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::data {

struct CsvOptions {
  char delimiter = ',';
  bool has_header = false;  // without a header, columns are named c0, c1, ...
  // Fields equal to one of these (ignoring case, after trimming) are missing -> NaN.
  std::vector<std::string> missing = {"?", "", "NA", "nan"};
  int64_t expected_columns = 0;  // 0: take the count from the first line
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;  // each row has columns.size() values
};

// Accepts LF or CRLF line endings, a UTF-8 byte order mark, blank lines (skipped), spaces around
// fields and double quotes around a whole field. Throws InputError
// "PATH:LINE: expected 14 fields, found 13" / "PATH:LINE: field 3 'abc' is not a number" /
// "PATH: no data rows".
Table read_csv(const std::string& path, const CsvOptions& options = {});

// The rows without NaN; *dropped (if given) receives how many were removed.
Table drop_rows_with_missing(const Table& table, int64_t* dropped = nullptr);

// [rows, cols.size()] float tensor of the chosen columns in that order; empty cols = all.
// Missing values stay NaN. A column index out of range is an InputError.
Tensor to_tensor(const Table& table, const std::vector<int>& cols);

}  // namespace aekit::data
