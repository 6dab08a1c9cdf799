// The bounded JSON parse every user's JSON goes through: deep nesting is refused before a tree
// is built (a deep tree would overflow the stack when later copied or dumped).
#include <gtest/gtest.h>

#include <string>

#include "io/json_text.h"
#include "tensor/error.h"

using namespace aekit;

namespace {

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string error_of(const std::string& text, const std::string& source, int max_depth = 64) {
  try {
    io::parse_json(text, source, max_depth);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(JsonText, ParsesDocumentsUpToTheDepthBound) {
  EXPECT_EQ(io::parse_json(R"({"a": [1, {"b": 2}]})", "x")["a"][1]["b"], 2);
  EXPECT_EQ(io::parse_json("7", "x", 1), 7);
  EXPECT_NO_THROW(io::parse_json(nested(64), "x"));
  EXPECT_NO_THROW(io::parse_json(R"({"a": [[1]]})", "x", 3));
}

TEST(JsonText, RefusesDeeperInputNamingTheSource) {
  EXPECT_EQ(error_of(nested(65), "cfg.json"), "cfg.json: JSON nested deeper than 64 levels");
  EXPECT_EQ(error_of(R"({"a": [[1]]})", "f", 2), "f: JSON nested deeper than 2 levels");
  // What crashed aekit: hundreds of thousands of levels, not even closed.
  EXPECT_EQ(error_of(std::string(500000, '['), "deep.json"), "deep.json: JSON nested deeper than 64 levels");
  EXPECT_EQ(error_of(std::string(300000, '{') , "obj.json").rfind("obj.json: ", 0), 0u);
}

TEST(JsonText, SyntaxErrorsAreInputErrorsNamingTheSource) {
  const std::string e = error_of("{\"a\": 1,}", "run/config.json");
  EXPECT_EQ(e.rfind("run/config.json: not valid JSON (", 0), 0u) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_EQ(error_of("", "empty.json").rfind("empty.json: not valid JSON", 0), 0u);
  // Found by fuzz_config: a number too large for a double threw json's out_of_range (an
  // uncaught exception, exit 1) instead of a parse error.
  EXPECT_EQ(error_of("555e555", "big.json").rfind("big.json: not valid JSON (", 0), 0u);
  EXPECT_EQ(error_of(R"({"lr": -1e400})", "big.json").rfind("big.json: not valid JSON (", 0), 0u);
}
