// Where a config value sits ("model.encoder[0].units") and the errors that name it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aekit::config {

// "model" + "encoder" -> "model.encoder"; "" + "data" -> "data".
std::string join(const std::string& path, const std::string& key);
// "model.encoder" + 0 -> "model.encoder[0]".
std::string index(const std::string& path, size_t i);

// Throws InputError("<path>: <problem>").
[[noreturn]] void fail(const std::string& path, const std::string& problem);

// " (did you mean \"activation\"?)" when one of `valid` is a likely misspelling of `key`
// (edit distance at most a third of its length, at least 1), else "".
std::string suggestion(const std::string& key, const std::vector<std::string>& valid);
size_t edit_distance(const std::string& a, const std::string& b);

// "\"a\", \"b\" or \"c\"".
std::string join_values(const std::vector<std::string>& values);
// A short description of a JSON value for messages: `string "0.01"`, `number 2.7`, `an array`.
std::string describe_json(const nlohmann::json& v);

}  // namespace aekit::config
