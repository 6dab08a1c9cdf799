#include "data/text/tokenizer.h"

#include <gtest/gtest.h>

namespace aekit::data::text {
namespace {

using Strings = std::vector<std::string>;

TEST(Tokenizer, SentencesEndAtStopsNotAtAbbreviationsOrDecimals) {
  EXPECT_EQ(split_sentences("Mr. Smith paid 3.5 mln dlrs. The U.S. Treasury agreed! Did it? Yes."),
            (Strings{"Mr. Smith paid 3.5 mln dlrs.", "The U.S. Treasury agreed!", "Did it?", "Yes."}));
  EXPECT_EQ(split_sentences("Acme Inc. and Beta Corp. merged on Jan. 5. Shares rose."),
            (Strings{"Acme Inc. and Beta Corp. merged on Jan. 5.", "Shares rose."}));
  // A lower-case next word continues the sentence; closing quotes stay with their sentence.
  EXPECT_EQ(split_sentences("It rose approx. five pct. \"We are pleased.\" He left."),
            (Strings{"It rose approx. five pct.", "\"We are pleased.\"", "He left."}));
  // Initials and dotted acronyms; a sentence starter or a quotation after an abbreviation splits.
  EXPECT_EQ(split_sentences("J. P. Morgan met a.m. traders in the U.K. Then he left."),
            (Strings{"J. P. Morgan met a.m. traders in the U.K. Then he left."}));
  EXPECT_EQ(split_sentences("It bought Acme Inc. The price was not given by Beta Ltd. \"We agree.\""),
            (Strings{"It bought Acme Inc.", "The price was not given by Beta Ltd.", "\"We agree.\""}));
}

TEST(Tokenizer, ParagraphBreaksEndSentences) {
  EXPECT_EQ(split_sentences("Prices fell\nsharply in March\n    Analysts said\nso\n\nEnd"),
            (Strings{"Prices fell sharply in March", "Analysts said so", "End"}));
  EXPECT_TRUE(split_sentences(" \n   \n").empty());
}

TEST(Tokenizer, WordsPunctuationCliticsAndNumbers) {
  EXPECT_EQ(tokenize_words("Acme Inc.'s (ACM) profit, up 1,750 dlrs, was $5.93 mln."),
            (Strings{"Acme", "Inc.", "'s", "(", "ACM", ")", "profit", ",", "up", "1,750", "dlrs", ",",
                     "was", "$", "5.93", "mln", "."}));
  EXPECT_EQ(tokenize_words("\"We don't know,\" the companies' U.S. unit said: 8-10 pct..."),
            (Strings{"\"", "We", "do", "n't", "know", ",", "\"", "the", "companies", "'", "U.S.", "unit",
                     "said", ":", "8-10", "pct", "..."}));
  EXPECT_EQ(tokenize_words("prices--and mid-June S&L <SRD> June/July 12% they're I'm COMPANY'S"),
            (Strings{"prices", "--", "and", "mid-June", "S&L", "<", "SRD", ">", "June/July", "12", "%",
                     "they", "'re", "I", "'m", "COMPANY", "'S"}));
  EXPECT_EQ(tokenize_words("Mr. Smith paid 3.5 mln dlrs."),
            (Strings{"Mr.", "Smith", "paid", "3.5", "mln", "dlrs", "."}));
  EXPECT_EQ(tokenize_words("'s ."), (Strings{"'s", "."}));
}

TEST(Tokenizer, NormalisationLowercasesAndMapsNumbersToNine) {
  EXPECT_EQ(normalize_token("Treasury"), "treasury");
  EXPECT_EQ(normalize_token("U.S."), "u.s.");
  for (const char* n : {"1,750", "5.93", "8-10", "1986/87", "3", ".5"}) EXPECT_EQ(normalize_token(n), "9") << n;
  for (const char* w : {"-", "--", "g-7", "f0704", "747s", "."}) EXPECT_NE(normalize_token(w), "9") << w;
  EXPECT_EQ(normalize_token("M\xC3\xBCNCHEN"), "m\xC3\xBCnchen");  // non-ASCII bytes unchanged
}

TEST(Tokenizer, AbbreviationRule) {
  for (const char* a : {"Mr.", "INC.", "corp.", "U.S.", "u.k.", "a.m.", "J.", "Sept."}) EXPECT_TRUE(is_abbreviation(a)) << a;
  for (const char* w : {"said.", "5.", "US.", "U.S", ".", "pct."}) EXPECT_FALSE(is_abbreviation(w)) << w;
}

TEST(Tokenizer, TextToNormalisedSentences) {
  const auto s = tokenize_text("ACME BUYS WIDGET UNIT\n    It paid 12 mln dlrs. Shares rose 5 pct.");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], (Strings{"acme", "buys", "widget", "unit"}));
  EXPECT_EQ(s[1], (Strings{"it", "paid", "9", "mln", "dlrs", "."}));
  EXPECT_EQ(s[2], (Strings{"shares", "rose", "9", "pct", "."}));
}

}  // namespace
}  // namespace aekit::data::text
