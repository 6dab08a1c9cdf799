#include "data/text/reuters.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "data/data_test_util.h"

namespace aekit::data::text {
namespace {

using datatest::expect_input_error;
using datatest::TempDir;
using datatest::write_file;

// Two synthetic stories in the Reuters-21578 layout (invented text).
const std::string kTwoStories =
    "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"                                            // 1
    "<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" OLDID=\"5\" NEWID=\"7\">\n"               // 2
    "<DATE> 1-MAR-1987 10:00:00.00</DATE>\n"                                             // 3
    "<TOPICS><D>grain</D></TOPICS>\n"                                                    // 4
    "<UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0001&#31;reute\n</UNKNOWN>\n"           // 5-8
    "<TEXT>&#2;\n"                                                                       // 9
    "<TITLE>ACME &lt;ACM> TO BUY WIDGET MAKER</TITLE>\n"                                  // 10
    "<DATELINE>    SPRINGFIELD, March 1 - </DATELINE><BODY>Acme Corp said it will\n"     // 11
    "buy Widget &amp; Sons for 12.5 mln dlrs.\n"                                         // 12
    "    The deal needs approval, Mr. Smith said.\n"                                     // 13
    " Reuter\n"                                                                          // 14
    "&#3;</BODY></TEXT>\n"                                                               // 15
    "</REUTERS>\n"                                                                       // 16
    "<REUTERS NEWID=\"8\">\n"                                                            // 17
    "<TEXT TYPE=\"BRIEF\">&#2;\n"
    "******<TITLE>WIDGET OUTPUT UP 3.5 PCT</TITLE>\n"
    "Blah blah blah.\n"
    "&#3;\n"
    "</TEXT>\n"
    "</REUTERS>\n";

TEST(Reuters, TitleAndBodyWithEntitiesAndControlCodes) {
  TempDir tmp;
  const auto path = write_file(tmp.path("a.sgm"), kTwoStories);
  const std::vector<Story> s = read_reuters_sgml(path);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].newid, 7);
  EXPECT_EQ(s[0].line, 2);
  EXPECT_EQ(s[0].file, path);
  EXPECT_EQ(s[0].title, "ACME <ACM> TO BUY WIDGET MAKER");
  EXPECT_EQ(s[0].body,
            "Acme Corp said it will\nbuy Widget & Sons for 12.5 mln dlrs.\n"
            "    The deal needs approval, Mr. Smith said.");  // sign-off and &#3; dropped
  EXPECT_EQ(s[1].newid, 8);
  EXPECT_EQ(s[1].title, "WIDGET OUTPUT UP 3.5 PCT");
  EXPECT_EQ(s[1].body, "");  // text outside TITLE/BODY is not kept
}

TEST(Reuters, Latin1ByteBecomesUtf8) {
  TempDir tmp;
  const auto path = write_file(tmp.path("b.sgm"),
                               "<REUTERS NEWID=\"1\"><TEXT><BODY>M\xFCnchen growth.\xFC&#5;&#30;side "
                               "and &#233;t&#233;</BODY></TEXT></REUTERS>\n");
  const std::vector<Story> s = read_reuters_sgml(path);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].body, "M\xC3\xBCnchen growth.\xC3\xBC  side and \xC3\xA9t\xC3\xA9");
}

TEST(Reuters, LoneAmpersandIsLiteralAndTagsAreCaseInsensitive) {
  TempDir tmp;
  const auto path = write_file(tmp.path("c.sgm"),
                               "<!-- a comment <REUTERS> -->\n<reuters><text><body>AT & T, A&#; "
                               "and &#\n</BODY></TEXT></Reuters>");
  const std::vector<Story> s = read_reuters_sgml(path);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].newid, -1);
  EXPECT_EQ(s[0].body, "AT & T, A&#; and &#");
}

TEST(Reuters, MalformedSgmlNamesFileAndLine) {
  TempDir tmp;
  const auto p = tmp.path("bad.sgm");
  write_file(p, "<REUTERS>\n<TEXT>\n<TITLE>x\n</BODY>\n</TEXT></REUTERS>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":4: </BODY> closes <TITLE> opened at line 3"});
  write_file(p, "<REUTERS>\n<TEXT><BODY>abc\n</BODY></TEXT>\n");
  expect_input_error([&] { read_reuters_sgml(p); },
                     {p + ":4: end of file inside <REUTERS> opened at line 1"});
  write_file(p, "<REUTERS>\n<TEXT><BODY>a <REUTERS> b</BODY></TEXT></REUTERS>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":2: <REUTERS> inside <BODY> opened at line 2"});
  write_file(p, "<REUTERS></REUTERS>\nstray words\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":2: text outside a <REUTERS> story"});
  write_file(p, "<REUTERS><TEXT\n<BODY>x</BODY></TEXT></REUTERS>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":1: unterminated tag '<TEXT?<BODY>"});
  write_file(p, "<REUTERS><TEXT><BODY>\n\nfish &chips; now</BODY></TEXT></REUTERS>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":3: unknown entity '&chips;'"});
  write_file(p, "</REUTERS>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":1: </REUTERS> without a matching <REUTERS>"});
  write_file(p, "<REUTERS><TEXT><BODY>a &#99999999; b</BODY></TEXT></REUTERS>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":1: bad character reference"});
  write_file(p, "<BODY>x</BODY>\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":1: <BODY> outside a <REUTERS> story"});
  write_file(p, "<REUTERS><TEXT><BODY>x</BODY></TEXT></REUTERS>\n<!-- never closed\n");
  expect_input_error([&] { read_reuters_sgml(p); }, {p + ":2: unterminated comment"});
}

TEST(Reuters, FolderReadsSgmFilesInNameOrder) {
  TempDir tmp;
  write_file(tmp.path("reut2-001.sgm"), "<REUTERS NEWID=\"2\"><TEXT><BODY>second</BODY></TEXT></REUTERS>");
  write_file(tmp.path("reut2-000.sgm"), "<REUTERS NEWID=\"1\"><TEXT><BODY>first</BODY></TEXT></REUTERS>");
  write_file(tmp.path("notes.txt"), "not sgml <");
  const std::vector<Story> s = read_reuters_dir(tmp.str());
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].body, "first");
  EXPECT_EQ(s[1].body, "second");

  TempDir empty;
  expect_input_error([&] { read_reuters_dir(empty.str()); }, {empty.str() + ": no .sgm files"});
  expect_input_error([&] { read_reuters_dir(tmp.path("nope")); }, {tmp.path("nope") + ": no such folder"});
  expect_input_error([&] { read_reuters_dir(tmp.path("notes.txt")); }, {"is not a folder"});
}

// The real distribution, when present (it is research-only and never part of the repository).
TEST(Reuters, RealCorpusFileWithTheNonUtf8Byte) {
  const char* env = std::getenv("AEKIT_REUTERS_DIR");
  const std::string path = std::string(env ? env : "/work/shared/data/reuters21578") + "/reut2-017.sgm";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not present";
  const std::vector<Story> s = read_reuters_sgml(path);
  EXPECT_EQ(s.size(), 1000u);
  bool found = false;
  for (const Story& st : s) found |= st.body.find("\xC3\xBC") != std::string::npos;
  EXPECT_TRUE(found);  // 0xFC arrived as UTF-8 "ü"
}

TEST(Reuters, AnOverlongNewidCountsAsAbsent) {
  // Found by fuzz_reuters: 20 digits overflowed int64 while being read (undefined behaviour).
  TempDir tmp;
  const auto path = write_file(tmp.path("n.sgm"),
                               "<REUTERS NEWID=\"19999999999999999999\">\n<TEXT><BODY>x</BODY></TEXT>\n</REUTERS>\n");
  const std::vector<Story> s = read_reuters_sgml(path);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].newid, -1);
}

}  // namespace
}  // namespace aekit::data::text
