#include "data/table_dataset.h"

#include <algorithm>
#include <cmath>

#include "data/csv.h"
#include "tensor/error.h"

namespace aekit::data {

TableData load_table_data(const std::string& path, const TableOptions& o) {
  require(o.missing == "drop" || o.missing == "reject",
          "data.missing must be \"drop\" or \"reject\", not \"" + o.missing + "\"");
  CsvOptions csv;
  csv.delimiter = o.delimiter;
  csv.has_header = true;
  const Table table = read_csv(path, csv);
  auto index_of = [&](const std::string& name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    if (it == table.columns.end()) {
      std::string all;
      for (const auto& c : table.columns) all += (all.empty() ? "" : ", ") + c;
      throw InputError(path + ": no column '" + name + "' (the header has " + all + ")");
    }
    return static_cast<int>(it - table.columns.begin());
  };
  const int label = o.label_column.empty() ? -1 : index_of(o.label_column);
  std::vector<int> cols;
  if (o.columns.empty()) {
    for (int c = 0; c < static_cast<int>(table.columns.size()); ++c)
      if (c != label) cols.push_back(c);
  } else {
    for (const auto& name : o.columns) cols.push_back(index_of(name));
  }
  require(!cols.empty(), path + ": no feature columns");
  TableData d;
  for (int c : cols) d.columns.push_back(table.columns[c]);
  std::vector<const std::vector<double>*> kept;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    int bad = -1;
    for (int c : cols) if (std::isnan(row[c])) { bad = c; break; }
    if (bad < 0 && label >= 0 && std::isnan(row[label])) bad = label;
    if (bad >= 0) {
      if (o.missing == "reject")
        throw InputError(path + ": data row " + std::to_string(r + 1) + " has a missing value in '" + table.columns[bad] + "'");
      ++d.dropped;
      continue;
    }
    kept.push_back(&row);
  }
  require(!kept.empty(), path + ": no rows left after dropping " + std::to_string(d.dropped) + " with missing values");
  d.x = Tensor({static_cast<int64_t>(kept.size()), static_cast<int64_t>(cols.size())});
  for (size_t r = 0; r < kept.size(); ++r) {
    for (size_t j = 0; j < cols.size(); ++j) d.x.data()[r * cols.size() + j] = static_cast<float>((*kept[r])[cols[j]]);
    if (label >= 0) {
      const double v = (*kept[r])[label];
      require(v == std::floor(v) && v >= 0, path + ": label '" + o.label_column + "' value " + std::to_string(v) + " is not a non-negative integer");
      d.labels.push_back(static_cast<int>(v));
    }
  }
  return d;
}

}  // namespace aekit::data
