#include "data/text/corpus.h"

#include <gtest/gtest.h>

#include <set>

#include "data/data_test_util.h"

namespace aekit::data::text {
namespace {

using datatest::expect_input_error;
using datatest::TempDir;
using datatest::write_file;

std::string story(int id, const std::string& title, const std::string& body) {
  return "<REUTERS NEWID=\"" + std::to_string(id) + "\">\n<TEXT>&#2;\n<TITLE>" + title +
         "</TITLE>\n<BODY>" + body + "\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n";
}

// A small invented corpus in two files and a 4-d GloVe file covering some of its words.
struct SmallCorpus {
  TempDir tmp;
  std::string dir = tmp.path("reuters"), glove = tmp.path("glove.txt");
  SmallCorpus() {
    std::filesystem::create_directories(dir);
    write_file(dir + "/reut2-000.sgm",
               "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n" +
                   story(1, "OIL PRICES RISE", "Oil prices rose 5 pct on Monday.\n    Traders said oil demand rose. Gold fell.") +
                   story(2, "GOLD FALLS", "Gold fell 3.5 dlrs, traders said. Oil rose."));
    write_file(dir + "/reut2-001.sgm",
               story(3, "ZINC OUTPUT UP", "Zinc output rose in the U.S. on strong demand. Prices rose 12 pct."));
    write_file(glove, "oil 1 0 0 0\nrose 0 1 0 0\n9 0 0 1 0\n. 0 0 0 1\ntraders 1 1 0 0\ngold -1 0 0 0\n");
  }
};

SentenceOptions small_options() {
  SentenceOptions o;
  o.vocab_size = 8;
  o.seq_len = 6;
  o.embed_dim = 4;
  o.seed = 3;
  return o;
}

TEST(SentenceCorpus, BuildsSplitIdsEmbeddingsAndStats) {
  SmallCorpus c;
  const SentenceCorpus s = load_reuters_sentences(c.dir, c.glove, small_options());
  // Titles are sentences of their own: 3 titles + 3 + 2 + 2 body sentences.
  EXPECT_EQ(s.stats.stories, 3);
  EXPECT_EQ(s.stats.sentences, 10);
  EXPECT_EQ(s.train.size(), 7);
  EXPECT_EQ(s.test.size(), 3);
  EXPECT_EQ(s.stats.train, 7);
  EXPECT_EQ(s.vocab.size(), 8);
  EXPECT_EQ(s.vocab.word(2), ".");  // 7 times, then "rose" 5 times
  EXPECT_EQ(s.vocab.word(3), "rose");
  EXPECT_EQ(s.train.x.shape(), (Shape{7, 6, 4}));
  EXPECT_EQ(s.test.ids.rows, 3);
  EXPECT_EQ(s.embeddings.table.shape(), (Shape{8, 4}));

  std::set<int64_t> seen;
  for (const SentenceSet* set : {&s.train, &s.test}) {
    ASSERT_EQ(set->sentences.size(), static_cast<size_t>(set->size()));
    for (int64_t r = 0; r < set->size(); ++r) {
      seen.insert(set->index[r]);
      for (int64_t t = 0; t < 6; ++t) {  // x is the table row of each id
        const int32_t id = set->ids.row(r)[t];
        for (int64_t k = 0; k < 4; ++k)
          EXPECT_EQ(set->x[(r * 6 + t) * 4 + k], s.embeddings.table[id * 4 + k]);
      }
    }
  }
  EXPECT_EQ(seen.size(), 10u);

  // "Zinc output rose in the U.S. on strong demand." has 10 tokens: pre-truncated to its last 6.
  for (const SentenceSet* set : {&s.train, &s.test})
    for (int64_t r = 0; r < set->size(); ++r)
      if (set->sentences[r] == "Zinc output rose in the U.S. on strong demand.") {
        const int32_t* ids = set->ids.row(r);
        EXPECT_EQ(ids[5], s.vocab.id("."));
        EXPECT_EQ(ids[4], s.vocab.id("demand"));
      }
  EXPECT_EQ(s.stats.tokens.max, 10);
  EXPECT_EQ(s.stats.truncated, 3);  // sentences of 8, 8 and 10 tokens
  EXPECT_EQ(s.stats.tokens.min, 2);  // "GOLD FALLS"
  EXPECT_GT(s.stats.vocab_coverage, 0.4);
  EXPECT_LT(s.stats.vocab_coverage, 1.0);
  const std::string text = describe(s.stats, 6);
  EXPECT_NE(text.find("sentences 10 from 3 stories (train 7, test 3)"), std::string::npos) << text;
  EXPECT_NE(text.find("kept 8 ids"), std::string::npos) << text;
}

TEST(SentenceCorpus, SeedDecidesTheSplitAndIdsOnlyMode) {
  SmallCorpus c;
  SentenceOptions o = small_options();
  const SentenceCorpus a = load_reuters_sentences(c.dir, c.glove, o);
  const SentenceCorpus b = load_reuters_sentences(c.dir, c.glove, o);
  EXPECT_EQ(a.train.index, b.train.index);
  EXPECT_EQ(a.embeddings.table.to_vector(), b.embeddings.table.to_vector());
  o.seed = 4;
  o.embed = false;
  const SentenceCorpus d = load_reuters_sentences(c.dir, c.glove, o);
  EXPECT_NE(a.train.index, d.train.index);
  EXPECT_TRUE(d.train.x.empty());
  EXPECT_EQ(d.train.ids.rows, 7);
  o.max_sentences = 4;
  EXPECT_EQ(load_reuters_sentences(c.dir, c.glove, o).stats.sentences, 4);
}

TEST(SentenceCorpus, EncodesAUserSentenceLikeTheCorpus) {
  SmallCorpus c;
  const SentenceCorpus s = load_reuters_sentences(c.dir, c.glove, small_options());
  const std::vector<int32_t> ids = encode_sentence("Oil rose 7 pct", s.vocab, small_options());
  EXPECT_EQ(ids, (std::vector<int32_t>{Vocabulary::kPad, Vocabulary::kPad, s.vocab.id("oil"),
                                       s.vocab.id("rose"), s.vocab.id("9"), s.vocab.id("pct")}));
}

TEST(SentenceCorpus, EmptyCorpusAndBadInputsAreClearErrors) {
  SmallCorpus c;
  TempDir tmp;
  const std::string dir = tmp.path("empty");
  std::filesystem::create_directories(dir);
  write_file(dir + "/reut2-000.sgm", "<REUTERS NEWID=\"1\"><TEXT><TITLE> </TITLE><BODY>\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n");
  expect_input_error([&] { load_reuters_sentences(dir, c.glove, small_options()); },
                     {dir + ": no sentences in 1 stories"});
  write_file(dir + "/reut2-000.sgm", "<REUTERS><TEXT><BODY>One sentence.</BODY></TEXT></REUTERS>\n");
  expect_input_error([&] { load_reuters_sentences(dir, c.glove, small_options()); }, {"too few"});
  write_file(dir + "/reut2-000.sgm", "<REUTERS><TEXT><BODY>x</TITLE></TEXT></REUTERS>\n");
  expect_input_error([&] { load_reuters_sentences(dir, c.glove, small_options()); },
                     {dir + "/reut2-000.sgm:1: </TITLE> closes <BODY>"});
  SentenceOptions o = small_options();
  o.embed_dim = 50;
  expect_input_error([&] { load_reuters_sentences(c.dir, c.glove, o); }, {c.glove + ":1: expected 51 fields, found 5"});
  o = small_options();
  o.train_fraction = 1.0;
  expect_input_error([&] { load_reuters_sentences(c.dir, c.glove, o); }, {"train_fraction"});
}

}  // namespace
}  // namespace aekit::data::text
