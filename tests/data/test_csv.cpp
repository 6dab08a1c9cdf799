#include "data/csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "data_test_util.h"

namespace aekit::data {
namespace {

using datatest::expect_input_error;
using datatest::repo_file;
using datatest::TempDir;
using datatest::write_file;

TEST(DataCsv, HeaderCrlfSpacesBlankLinesAndNoFinalNewline) {
  TempDir tmp;
  const auto path = write_file(tmp.path("t.csv"),
                               "\xEF\xBB\xBF"
                               "age, \"chol\" ,num\r\n"
                               "\r\n"
                               " 63.0 ,233, 0\r\n"
                               "   \r\n"
                               "-1.5e2,+4,1");
  const Table t = read_csv(path, {.has_header = true});
  EXPECT_EQ(t.columns, (std::vector<std::string>{"age", "chol", "num"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<double>{63.0, 233.0, 0.0}));
  EXPECT_EQ(t.rows[1], (std::vector<double>{-150.0, 4.0, 1.0}));
}

TEST(DataCsv, NamesColumnsWithoutHeader) {
  TempDir tmp;
  const auto path = write_file(tmp.path("t.csv"), "1;2\n3;4\n");
  const Table t = read_csv(path, {.delimiter = ';'});
  EXPECT_EQ(t.columns, (std::vector<std::string>{"c0", "c1"}));
  EXPECT_EQ(t.rows.size(), 2u);
}

TEST(DataCsv, MissingTokensBecomeNaN) {
  TempDir tmp;
  const auto path = write_file(tmp.path("m.csv"), "1,?,3\n,NA,nan\nNaN,na,2\n4,5,6\n");
  const Table t = read_csv(path);
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_TRUE(std::isnan(t.rows[0][1]));
  for (double v : t.rows[1]) EXPECT_TRUE(std::isnan(v));
  EXPECT_TRUE(std::isnan(t.rows[2][0]));  // matched ignoring case
  EXPECT_TRUE(std::isnan(t.rows[2][1]));
  EXPECT_EQ(t.rows[2][2], 2.0);

  int64_t dropped = -1;
  const Table complete = drop_rows_with_missing(t, &dropped);
  EXPECT_EQ(dropped, 3);
  ASSERT_EQ(complete.rows.size(), 1u);
  EXPECT_EQ(complete.rows[0], (std::vector<double>{4, 5, 6}));
  EXPECT_EQ(complete.columns, t.columns);
}

TEST(DataCsv, CustomMissingTokens) {
  TempDir tmp;
  const auto path = write_file(tmp.path("m.csv"), "1,-999\n2,3\n");
  const Table t = read_csv(path, {.missing = {"-999"}});
  EXPECT_TRUE(std::isnan(t.rows[0][1]));
  // "?" is no longer a missing marker, so it is a bad number.
  const auto q = write_file(tmp.path("q.csv"), "1,?\n");
  expect_input_error([&] { read_csv(q, {.missing = {"-999"}}); }, {q + ":1: field 2 '?'"});
}

TEST(DataCsv, WrongFieldCount) {
  TempDir tmp;
  const auto path = write_file(tmp.path("w.csv"), "1,2,3\n4,5,6\n7,8\n");
  expect_input_error([&] { read_csv(path); }, {path + ":3: expected 3 fields, found 2"});
  const auto more = write_file(tmp.path("more.csv"), "1,2\n\n3,4,5\n");
  expect_input_error([&] { read_csv(more); }, {more + ":3: expected 2 fields, found 3"});
}

TEST(DataCsv, ExpectedColumnsChecksTheFirstLineToo) {
  TempDir tmp;
  const auto path = write_file(tmp.path("e.csv"), "1,2,3\n");
  expect_input_error([&] { read_csv(path, {.expected_columns = 14}); },
                     {path + ":1: expected 14 fields, found 3"});
}

TEST(DataCsv, NonNumericField) {
  TempDir tmp;
  const auto path = write_file(tmp.path("n.csv"), "1,2,3\r\n4,abc,6\r\n");
  expect_input_error([&] { read_csv(path); }, {path + ":2: field 2 'abc' is not a number"});
  for (const char* bad : {"1.2.3", "0x10", "inf", "1e999", "12abc", "- 1"}) {
    const auto p = write_file(tmp.path("b.csv"), std::string("5,") + bad + "\n");
    expect_input_error([&] { read_csv(p); }, {p + ":1: field 2", "is not a number"});
  }
}

TEST(DataCsv, BinaryGarbageGivesAOneLineMessage) {
  TempDir tmp;
  const auto path = write_file(tmp.path("g.csv"), std::string("\x1f\x8b\x08\x00\rabc\x01", 9));
  expect_input_error([&] { read_csv(path); }, {path + ":1: field 1", "is not a number"});
}

TEST(DataCsv, EmptyOrHeaderOnly) {
  TempDir tmp;
  const auto empty = write_file(tmp.path("e.csv"), "\n\n");
  expect_input_error([&] { read_csv(empty); }, {empty + ": no data rows"});
  const auto header = write_file(tmp.path("h.csv"), "a,b\n");
  expect_input_error([&] { read_csv(header, {.has_header = true}); }, {header + ": no data rows"});
  const auto gone = tmp.path("gone.csv");
  expect_input_error([&] { read_csv(gone); }, {gone + ": no such file"});
}

TEST(DataCsv, ToTensorSelectsColumns) {
  Table t;
  t.columns = {"a", "b", "c"};
  t.rows = {{1, 2, 3}, {4, 5, 6}};
  const Tensor picked = to_tensor(t, {2, 0});
  EXPECT_EQ(picked.shape(), (Shape{2, 2}));
  EXPECT_EQ(picked.to_vector(), (std::vector<float>{3, 1, 6, 4}));
  EXPECT_EQ(to_tensor(t, {}).to_vector(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  expect_input_error([&] { to_tensor(t, {3}); }, {"column 3", "out of range"});
}

TEST(DataCsv, VendoredClevelandHeartData) {
  const auto path = repo_file("data/heart/processed.cleveland.data");
  const Table t = read_csv(path, {.expected_columns = 14});
  ASSERT_EQ(t.rows.size(), 303u);
  ASSERT_EQ(t.columns.size(), 14u);
  EXPECT_EQ(t.columns[13], "c13");
  EXPECT_EQ(t.rows[0], (std::vector<double>{63.0, 1.0, 1.0, 145.0, 233.0, 1.0, 2.0, 150.0, 0.0,
                                            2.3, 3.0, 0.0, 6.0, 0.0}));
  // '?' cells documented in data/heart/NOTES.md (1-based rows): ca (column 12) in rows 167,
  // 193, 288, 303 and thal (column 13) in rows 88 and 267.
  for (int row : {167, 193, 288, 303}) EXPECT_TRUE(std::isnan(t.rows[row - 1][11])) << row;
  for (int row : {88, 267}) EXPECT_TRUE(std::isnan(t.rows[row - 1][12])) << row;

  std::map<double, int> num;
  for (const auto& r : t.rows) ++num[r[13]];
  EXPECT_EQ(num, (std::map<double, int>{{0, 164}, {1, 55}, {2, 36}, {3, 35}, {4, 13}}));

  int64_t dropped = 0;
  const Table complete = drop_rows_with_missing(t, &dropped);
  EXPECT_EQ(complete.rows.size(), 297u);
  EXPECT_EQ(dropped, 6);
  const Tensor x = to_tensor(complete, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  EXPECT_EQ(x.shape(), (Shape{297, 13}));
}

}  // namespace
}  // namespace aekit::data
