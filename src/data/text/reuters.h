// Reuters-21578 SGML reader: the TITLE and BODY text of every <REUTERS> story.
//
// The corpus is research-only, so aekit never ships it: callers pass the folder the user has.
// Reading rules:
//   - Bytes, not UTF-8: the files are ASCII except one 0xFC in reut2-017.sgm, so bytes >= 0x80
//     are read as Latin-1 and stored as UTF-8 (0xFC -> "ü").
//   - Character references: &lt; &gt; &amp; &quot; &apos; and numeric &#N;. Control characters
//     (&#3; ends every body, &#2;, &#5;, ... are wire-service codes; also raw ones) become a space.
//     An unknown named reference is an error; a '&' not followed by a name or '#' is literal.
//   - Markup: every <TAG ...> must be closed by its </TAG> in order; <!DOCTYPE ...> and
//     <!-- comments --> are skipped. Stories cannot nest, and nothing but markup and white space
//     may appear outside them. Only TITLE and BODY text is kept; other elements (DATE, TOPICS,
//     DATELINE, ...) are parsed for structure and ignored.
//   - A body's trailing "Reuter" / "REUTER" sign-off is dropped (it is not part of the story).
// Malformed input is an InputError "FILE:LINE: what is wrong" (one line).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aekit::data::text {

struct Story {
  int64_t newid = -1;  // the NEWID attribute, -1 when absent
  std::string title;   // UTF-8, white space as in the file; empty when the story has none
  std::string body;
  std::string file;    // where it came from, for messages
  int64_t line = 0;    // line of its <REUTERS> tag
};

// The stories of one .sgm file, in file order.
std::vector<Story> read_reuters_sgml(const std::string& path);

// All *.sgm files of a folder, in file-name order (reut2-000.sgm ... reut2-021.sgm). InputError
// when the folder does not exist or holds no .sgm file.
std::vector<Story> read_reuters_dir(const std::string& dir);

}  // namespace aekit::data::text
