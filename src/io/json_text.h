// Parsing JSON text from a user's file (configs, safetensors headers, checkpoint metadata) with a
// bound on nesting: nlohmann builds deep documents iteratively but copies, dumps and compares
// them recursively, so a file of a few hundred thousand '[' would overflow the stack later, far
// from the parse. Refusing it here, before the tree is built, keeps every later step safe.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace aekit::io {

// The document in `text`. InputError "SOURCE: not valid JSON (...)" for a syntax error and
// "SOURCE: JSON nested deeper than MAX_DEPTH levels" for deeper input (the top-level value is
// depth 1: `[[1]]` has depth 2).
nlohmann::json parse_json(const std::string& text, const std::string& source, int max_depth = 64);

}  // namespace aekit::io
