#include "data/text/vocabulary.h"

#include <gtest/gtest.h>

#include "data/data_test_util.h"
#include "data/text/sequences.h"
#include "data/text/split.h"
#include "data/text/stats.h"

namespace aekit::data::text {
namespace {

using datatest::expect_input_error;

WordCounts counts_of(const std::vector<std::string>& words) {
  WordCounts c;
  c.add(words);
  return c;
}

TEST(Vocabulary, TopWordsAfterPadAndUnkWithDeterministicTies) {
  const WordCounts c = counts_of({"the", "rise", "the", "fall", "oil", "the", "oil", "rise"});
  EXPECT_EQ(c.distinct(), 4);
  EXPECT_EQ(c.count("the"), 3);
  EXPECT_EQ(c.count("gold"), 0);
  const Vocabulary v = Vocabulary::from_counts(c, 4);
  EXPECT_EQ(v.words(), (std::vector<std::string>{"PAD", "UNK", "the", "oil"}));  // oil = rise: byte order
  EXPECT_EQ(v.id("the"), 2);
  EXPECT_EQ(v.id("rise"), Vocabulary::kUnk);
  EXPECT_EQ(v.word(3), "oil");
  EXPECT_EQ(Vocabulary::from_counts(c, 100).size(), 6);  // fewer words than asked for
  expect_input_error([&] { Vocabulary::from_counts(c, 2); }, {"at least 3"});
  expect_input_error([&] { Vocabulary::from_words({"PAD", "UNK", "a", "a"}); }, {"'a' twice"});
  expect_input_error([&] { Vocabulary::from_words({"a"}); }, {"PAD and UNK"});
  EXPECT_EQ(Vocabulary::from_words(v.words()).id("oil"), 3);
}

TEST(Sequences, PadAndTruncateLikeKeras) {
  const Vocabulary v = Vocabulary::from_words({"PAD", "UNK", "a", "b", "c"});
  const std::vector<std::string> t = {"a", "b", "zzz", "c"};
  EXPECT_EQ(pad_ids(t, v, 6), (std::vector<int32_t>{0, 0, 2, 3, 1, 4}));
  EXPECT_EQ(pad_ids(t, v, 6, Side::post), (std::vector<int32_t>{2, 3, 1, 4, 0, 0}));
  EXPECT_EQ(pad_ids(t, v, 2), (std::vector<int32_t>{1, 4}));                          // pre: keeps the end
  EXPECT_EQ(pad_ids(t, v, 2, Side::pre, Side::post), (std::vector<int32_t>{2, 3}));  // post: keeps the start
  EXPECT_EQ(parse_side("post"), Side::post);
  expect_input_error([&] { parse_side("middle"); }, {"'middle'"});
}

TEST(Sequences, EmbedAndTakeRows) {
  TokenIds ids{.rows = 2, .length = 3, .ids = {0, 2, 1, 2, 2, 0}};
  Tensor table({3, 2}, {0, 0, 1, 2, 3, 4});
  const Tensor x = embed_ids(ids, table);
  EXPECT_EQ(x.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(x.to_vector(), (std::vector<float>{0, 0, 3, 4, 1, 2, 3, 4, 3, 4, 0, 0}));
  const TokenIds back = take_rows(ids, {1});
  EXPECT_EQ(back.ids, (std::vector<int32_t>{2, 2, 0}));
  EXPECT_THROW(take_rows(ids, {2}), std::out_of_range);
  ids.ids[0] = 3;
  EXPECT_THROW(embed_ids(ids, table), std::out_of_range);
}

TEST(Split, SeededSeventyThirty) {
  const Split a = train_test_split(10, 0.7, 5), b = train_test_split(10, 0.7, 5), c = train_test_split(10, 0.7, 6);
  EXPECT_EQ(a.train.size(), 7u);
  EXPECT_EQ(a.test.size(), 3u);
  EXPECT_EQ(a.train, b.train);
  EXPECT_NE(a.train, c.train);
  std::vector<int64_t> all = a.train;
  all.insert(all.end(), a.test.begin(), a.test.end());
  std::sort(all.begin(), all.end());
  for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(all[i], i);
  EXPECT_EQ(train_test_split(50470, 0.7, 1).train.size(), 35329u);
  expect_input_error([&] { train_test_split(10, 0, 1); }, {"train fraction"});
}

TEST(Stats, LengthFigures) {
  const LengthStats s = length_stats({5, 1, 9, 3});
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 9);
  EXPECT_DOUBLE_EQ(s.mean, 4.5);
  EXPECT_DOUBLE_EQ(s.median, 4.0);
  EXPECT_DOUBLE_EQ(length_stats({7, 2, 4}).median, 4.0);
  expect_input_error([&] { length_stats({}); }, {"no sentences"});
}

}  // namespace
}  // namespace aekit::data::text
