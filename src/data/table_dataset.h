// Users' own tables: any CSV with a header row, the feature columns chosen by name, an optional
// integer label column, and a stated policy for rows with missing values.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::data {

struct TableOptions {
  std::vector<std::string> columns;  // features, in this order; empty = every column but the label
  std::string label_column;          // "" = unlabelled
  std::string missing = "drop";      // "drop": leave such rows out; "reject": InputError naming the line
  char delimiter = ',';
};

struct TableData {
  Tensor x;                  // [rows, features], unscaled (fit data::StandardScaler on the train part)
  std::vector<int> labels;   // rows labels, or empty
  std::vector<std::string> columns;
  int64_t dropped = 0;       // rows left out for missing values
};

// InputError naming the file for an unknown column name (listing the header), an unknown
// missing policy, a missing value under "reject" ("PATH: row 12 has a missing value in 'chol'"),
// a non-integer label, or no rows left.
TableData load_table_data(const std::string& path, const TableOptions& options = {});

}  // namespace aekit::data
