// The config declaration (config/schema.h): what it accepts, what it refuses and how it says so.
#include <gtest/gtest.h>

#include "config/schema.h"
#include "tensor/error.h"

namespace aekit::config {
namespace {

using json = nlohmann::json;

enum class Color { red, green };

struct Inner {
  double rate = 0.5;
};
const Schema<Inner>& inner_schema() {
  static const auto s = Schema<Inner>("inner").key("rate", &Inner::rate, from_below(0, 1));
  return s;
}

struct Thing {
  int64_t count = 3;
  int small = 1;
  uint64_t seed = 0;
  float alpha = 0.3f;
  bool flag = true;
  std::string mode = "a";
  Color color = Color::red;
  std::vector<int64_t> sizes;
  std::optional<int64_t> maybe;
  Inner inner;
  std::optional<Inner> extra;
};

const Schema<Thing>& thing_schema() {
  static const auto s = Schema<Thing>("thing")
                            .required("count", &Thing::count, between(1, 100))
                            .key("small", &Thing::small, at_least(0))
                            .key("seed", &Thing::seed)
                            .key("alpha", &Thing::alpha, above(0))
                            .key("flag", &Thing::flag)
                            .one_of("mode", &Thing::mode, {"a", "b"})
                            .choice("color", &Thing::color, {{"red", Color::red}, {"green", Color::green}})
                            .key("sizes", &Thing::sizes, at_least(1))
                            .key("maybe", &Thing::maybe)
                            .object("inner", &Thing::inner, &inner_schema)
                            .object("extra", &Thing::extra, &inner_schema);
  return s;
}

// The message of the InputError parsing `j` throws ("" when it parses).
std::string error_of(const json& j) {
  try {
    thing_schema().parse(j, "thing");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Schema, ReadsEveryKeyAndKeepsDefaults) {
  Thing t = thing_schema().parse(
      json::parse(R"({"count": 7, "seed": 18446744073709551615, "mode": "b", "color": "green", "sizes": [2, 3],
                      "maybe": 4, "inner": {"rate": 0.25}, "extra": {}})"),
      "thing");
  EXPECT_EQ(t.count, 7);
  EXPECT_EQ(t.small, 1);
  EXPECT_EQ(t.seed, UINT64_MAX);
  EXPECT_FLOAT_EQ(t.alpha, 0.3f);
  EXPECT_EQ(t.mode, "b");
  EXPECT_EQ(t.color, Color::green);
  EXPECT_EQ(t.sizes, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t.maybe, 4);
  EXPECT_EQ(t.inner.rate, 0.25);
  ASSERT_TRUE(t.extra.has_value());
  EXPECT_EQ(t.extra->rate, 0.5);
  EXPECT_EQ(thing_schema().parse(json{{"count", 1e2}}, "thing").count, 100);  // an integral float is fine
}

TEST(Schema, WriteParsesBackToTheSameObject) {
  const json given = json::parse(R"({"count": 9, "alpha": 0.3, "color": "green", "sizes": [4], "inner": {"rate": 0.1}})");
  const json written = thing_schema().write(thing_schema().parse(given, "thing"));
  EXPECT_EQ(written["alpha"].dump(), "0.3");  // floats written in their shortest form
  EXPECT_FALSE(written.contains("maybe"));    // unset optionals are not written
  EXPECT_FALSE(written.contains("extra"));
  EXPECT_EQ(written["small"], 1);             // defaults are written, so the file is complete
  EXPECT_EQ(thing_schema().write(thing_schema().parse(written, "thing")), written);
}

TEST(Schema, UnknownKeyNamesThePathAndTheNearestKey) {
  EXPECT_EQ(error_of({{"count", 1}, {"colour", "red"}}),
            "thing: unknown key \"colour\" for thing (did you mean \"color\"?) (valid: \"count\", \"small\", \"seed\", "
            "\"alpha\", \"flag\", \"mode\", \"color\", \"sizes\", \"maybe\", \"inner\" or \"extra\")");
  EXPECT_NE(error_of({{"count", 1}, {"zzzzzz", 1}}).find("unknown key \"zzzzzz\" for thing (valid:"), std::string::npos);
  EXPECT_EQ(error_of({{"count", 1}, {"inner", {{"rat", 0.1}}}}).substr(0, 61),
            "thing.inner: unknown key \"rat\" for inner (did you mean \"rate\"");
}

TEST(Schema, RefusesWrongTypesFractionsAndOutOfRangeValues) {
  EXPECT_EQ(error_of(json::object()), "thing: missing key \"count\" (integer, [1, 100])");
  EXPECT_EQ(error_of({{"count", "3"}}), "thing.count: expected an integer, got string \"3\"");
  EXPECT_EQ(error_of({{"count", 2.7}}), "thing.count: expected an integer, got 2.7");
  EXPECT_EQ(error_of({{"count", 1e10}}), "thing.count: 10000000000.0 is out of range (allowed: [1, 100])");
  EXPECT_EQ(error_of({{"count", 0}}), "thing.count: 0 is out of range (allowed: [1, 100])");
  EXPECT_EQ(error_of({{"count", 1}, {"seed", -1}}), "thing.seed: -1 is out of range (allowed: >= 0)");
  EXPECT_EQ(error_of({{"count", 1}, {"small", 3e9}}).substr(0, 38), "thing.small: 3000000000.0 is out of ra");
  EXPECT_EQ(error_of({{"count", 1}, {"alpha", 0}}), "thing.alpha: 0 is out of range (allowed: > 0)");
  EXPECT_EQ(error_of({{"count", 1}, {"alpha", "0.3"}}), "thing.alpha: expected a number, got string \"0.3\"");
  EXPECT_EQ(error_of({{"count", 1}, {"flag", 1}}), "thing.flag: expected true or false, got number 1");
  EXPECT_EQ(error_of({{"count", 1}, {"mode", "c"}}), "thing.mode: \"c\" is not one of \"a\" or \"b\"");  // no guess for one letter
  EXPECT_EQ(error_of({{"count", 1}, {"color", "gren"}}),
            "thing.color: \"gren\" is not one of \"red\" or \"green\" (did you mean \"green\"?)");
  EXPECT_EQ(error_of({{"count", 1}, {"sizes", 3}}), "thing.sizes: expected a list, got number 3");
  EXPECT_EQ(error_of({{"count", 1}, {"sizes", {2, 0}}}), "thing.sizes[1]: 0 is out of range (allowed: >= 1)");
  EXPECT_EQ(error_of({{"count", 1}, {"inner", {{"rate", 1}}}}), "thing.inner.rate: 1 is out of range (allowed: [0, 1))");
  EXPECT_EQ(error_of({{"count", 1}, {"inner", 5}}), "thing.inner: expected an object (inner), got number 5");
  EXPECT_EQ(error_of(json::array()), "thing: expected an object (thing), got an array []");
}

TEST(Schema, DescribesItsKeys) {
  const auto keys = thing_schema().keys();
  ASSERT_EQ(keys.size(), 11u);
  EXPECT_EQ(keys[0].name, "count");
  EXPECT_TRUE(keys[0].required);
  EXPECT_EQ(keys[0].allowed, "[1, 100]");
  EXPECT_EQ(keys[3].default_value, "0.3");
  EXPECT_EQ(keys[6].allowed, "\"red\" or \"green\"");
}

TEST(Suggestion, FindsLikelyMisspellingsOnly) {
  EXPECT_EQ(suggestion("activaton", {"units", "activation", "alpha"}), " (did you mean \"activation\"?)");
  EXPECT_EQ(suggestion("learning_rate", {"lr", "beta1"}), " (did you mean \"lr\"?)");
  EXPECT_EQ(suggestion("learning_rate", {"momentum"}), "");
  EXPECT_EQ(suggestion("strides", {"stride", "kernel"}), " (did you mean \"stride\"?)");
  EXPECT_EQ(suggestion("kernel_size", {"stride", "kernel"}), " (did you mean \"kernel\"?)");
  EXPECT_EQ(suggestion("xyz", {"units"}), "");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace aekit::config
