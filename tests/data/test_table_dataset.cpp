#include "data/table_dataset.h"

#include <gtest/gtest.h>

#include "data/scaler.h"
#include "data_test_util.h"

namespace aekit::data {
namespace {
using namespace datatest;

TableOptions opts(std::vector<std::string> columns, std::string label = "", std::string missing = "drop") {
  TableOptions o;
  o.columns = std::move(columns), o.label_column = std::move(label), o.missing = std::move(missing);
  return o;
}

const char* kCsv =
    "id,age,chol,city,label\n"
    "1,50,200,3,0\n"
    "2,60,,4,1\n"
    "3,40,250,5,1\n"
    "4,70,300,NA,0\n";

TEST(TableDataset, ColumnsAreChosenByNameInTheGivenOrder) {
  TempDir d;
  write_file(d.path("t.csv"), kCsv);
  const TableData t = load_table_data(d.path("t.csv"), opts({"chol", "age"}, "label"));
  EXPECT_EQ(t.columns, (std::vector<std::string>{"chol", "age"}));
  // Row 2 misses chol: dropped. Row 4 misses city, which is not chosen: kept.
  EXPECT_EQ(t.dropped, 1);
  ASSERT_EQ(t.x.shape(), (Shape{3, 2}));
  EXPECT_EQ(std::vector<float>(t.x.begin(), t.x.end()), (std::vector<float>{200, 50, 250, 40, 300, 70}));
  EXPECT_EQ(t.labels, (std::vector<int>{0, 1, 0}));
  // Standard scaling as the heart config does: fitted on these rows, mean 0 per column.
  StandardScaler s;
  s.fit(t.x);
  Tensor z = t.x;
  s.transform(z);
  EXPECT_NEAR(z.data()[0] + z.data()[2] + z.data()[4], 0.0, 1e-5);
}

TEST(TableDataset, RejectPolicyNamesTheRowAndColumn) {
  TempDir d;
  write_file(d.path("t.csv"), kCsv);
  expect_input_error([&] { load_table_data(d.path("t.csv"), opts({"age", "chol"}, "", "reject")); },
                     {"t.csv", "row 2", "'chol'"});
  expect_input_error([&] { load_table_data(d.path("t.csv"), opts({"age", "cholesterol"})); },
                     {"t.csv", "no column 'cholesterol'", "id, age, chol, city, label"});
  expect_input_error([&] { load_table_data(d.path("t.csv"), opts({}, "", "impute")); }, {"drop", "reject"});
}

TEST(TableDataset, AllColumnsButTheLabelByDefault) {
  TempDir d;
  write_file(d.path("t.csv"), "a,b,y\n1,2,0\n3,4,1\n");
  const TableData t = load_table_data(d.path("t.csv"), opts({}, "y"));
  EXPECT_EQ(t.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.x.shape(), (Shape{2, 2}));
  write_file(d.path("u.csv"), "a,y\n1,0.5\n");
  expect_input_error([&] { load_table_data(d.path("u.csv"), opts({}, "y")); }, {"u.csv", "not a non-negative integer"});
}

}  // namespace
}  // namespace aekit::data
