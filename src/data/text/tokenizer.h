// Sentence splitting, word tokenisation and token normalisation for English news text.
// Deterministic rules (no trained model), close to what NLTK's punkt + word_tokenize give on
// Reuters and to the token forms GloVe uses ("u.s.", "'s", "n't", "--", "...").
//
// Sentences (split_sentences):
//   1. A paragraph break ends a sentence: a newline followed by an indented line (Reuters
//      starts paragraphs with "\n    ") or by a blank line. Other newlines are spaces.
//   2. Inside a paragraph a sentence ends after '.', '!' or '?' (plus any closing quotes or
//      brackets right after it) when white space follows and the next word does not start with
//      a lower-case letter ("approx. five" continues).
//   3. A '.' does not end a sentence when it ends an abbreviation: a word of the abbreviation
//      list (tokenizer.cpp: "Mr.", "Inc.", "Corp.", "Jan.", ...), a single letter ("J."), or a
//      dotted acronym ("U.S.", "U.K.", "a.m."); unless the next word opens a quotation or is one
//      of the common sentence starters The, It, He, She, They, We, In, This, But, Its, A. So
//      "the U.S. Treasury" stays one sentence and "... said Acme Inc. The company ..." splits
//      ("... in the U.S. Treasury officials ..." style ambiguities are resolved as no split).
//   4. Decimals and thousands ("3.5", "1,750") never split: the '.' is not followed by space.
//   Sentences are returned with white space collapsed to single spaces; empty ones are dropped.
//
// Words (tokenize_words), applied to each white-space separated chunk:
//   1. Leading  " ' ( [ { < $ # + *  and trailing  " ' ) ] } > , ; : ! ? % + *  are split off
//      as tokens of their own, repeatedly ("(BP)," -> "(" "BP" ")" ",").
//   2. A trailing '.' is split off unless the chunk is an abbreviation (rule 3 above), which
//      keeps its dot ("U.S." "Inc."); a trailing "..." is one token.
//   3. Clitics are split as in the Penn Treebank: "'s" "'re" "'ve" "'ll" "'d" "'m" and "n't"
//      ("company's" -> "company" "'s", "don't" -> "do" "n't"); a trailing "'" after an s is
//      the plural possessive ("companies'" -> "companies" "'").
//   4. "--" and "..." inside a chunk separate words ("prices--and" -> "prices" "--" "and").
//   5. Everything else stays inside its word: hyphens ("mid-June"), slashes ("June/July"),
//      '&' ("S&L"), and the separators of numbers ("1,750" "5.93" "1986/87" "8-10").
//
// Normalisation (normalize_token): ASCII lower-case; a number -- a token that, once '.', ',',
// '-' and '/' are removed, is a non-empty run of digits -- becomes "9", as in the source chapter.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace aekit::data::text {

std::vector<std::string> split_sentences(std::string_view text);
std::vector<std::string> tokenize_words(std::string_view sentence);
std::string normalize_token(std::string_view token);

// split_sentences + tokenize_words + normalize_token: the normalised tokens of each sentence.
std::vector<std::vector<std::string>> tokenize_text(std::string_view text);

// True for a word that keeps its final '.' (rule 3): "Mr." "inc." "U.S." "J.". Case-insensitive.
bool is_abbreviation(std::string_view word_with_dot);

}  // namespace aekit::data::text
