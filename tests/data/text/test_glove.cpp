#include "data/text/glove.h"

#include <gtest/gtest.h>

#include "data/data_test_util.h"

namespace aekit::data::text {
namespace {

using datatest::expect_input_error;
using datatest::TempDir;
using datatest::write_file;

const Vocabulary kVocab = Vocabulary::from_words({"PAD", "UNK", "oil", "gold", "zinc"});

TEST(Glove, TableRowsPadUnkAndMissingWords) {
  TempDir tmp;
  const auto path = write_file(tmp.path("g.txt"),
                               "\xEF\xBB\xBFthe 0.1 0.2 0.3\r\n"
                               "oil 1 -2 3.5e-1\r\n"
                               "\n"
                               "gold 4 5 6\n"
                               "oil 9 9 9\n");  // a repeated word: the first line wins
  const Embeddings e = load_glove(path, kVocab, 3, 7);
  EXPECT_EQ(e.table.shape(), (Shape{5, 3}));
  EXPECT_EQ(e.found, 2);
  EXPECT_EQ(e.has_vector, (std::vector<uint8_t>{0, 0, 1, 1, 0}));
  const auto row = [&](int r) { return std::vector<float>(e.table.data() + 3 * r, e.table.data() + 3 * r + 3); };
  EXPECT_EQ(row(0), (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(row(2), (std::vector<float>{1, -2, 0.35f}));
  EXPECT_EQ(row(3), (std::vector<float>{4, 5, 6}));
  for (float v : row(1)) {
    EXPECT_GE(v, -1.0f);
    EXPECT_LT(v, 1.0f);
  }
  EXPECT_EQ(row(4), row(1));  // zinc has no vector: UNK's
  EXPECT_EQ(load_glove(path, kVocab, 3, 7).table.to_vector(), e.table.to_vector());  // seeded
  const Embeddings other = load_glove(path, kVocab, 3, 8);
  EXPECT_NE(row(1), std::vector<float>(other.table.data() + 3, other.table.data() + 6));
}

TEST(Glove, WrongFieldCountNamesFileAndLine) {
  TempDir tmp;
  std::string good = "oil", short_line = "gold";
  for (int i = 0; i < 50; ++i) good += " 0.5";
  for (int i = 0; i < 36; ++i) short_line += " 0.5";
  const auto path = write_file(tmp.path("g.txt"), good + "\n" + good + "\n" + short_line + "\n");
  expect_input_error([&] { load_glove(path, kVocab); }, {path + ":3: expected 51 fields, found 37"});
}

TEST(Glove, BadNumbersAndEmptyFiles) {
  TempDir tmp;
  const auto bad = write_file(tmp.path("b.txt"), "oil 1 2 3\ngold 1 x2 3\n");
  expect_input_error([&] { load_glove(bad, kVocab, 3); }, {bad + ":2: field 3 'x2' is not a number"});
  const auto inf = write_file(tmp.path("i.txt"), "oil 1 inf 3\n");
  expect_input_error([&] { load_glove(inf, kVocab, 3); }, {inf + ":1: field 3 'inf' is not a number"});
  const auto empty = write_file(tmp.path("e.txt"), "\n\n");
  expect_input_error([&] { load_glove(empty, kVocab, 3); }, {empty + ": no word vectors"});
  expect_input_error([&] { load_glove(tmp.path("missing.txt"), kVocab, 3); }, {"missing.txt: no such file"});
}

}  // namespace
}  // namespace aekit::data::text
