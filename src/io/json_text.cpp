#include "io/json_text.h"

#include "tensor/error.h"

namespace aekit::io {

nlohmann::json parse_json(const std::string& text, const std::string& source, int max_depth) {
  using json = nlohmann::json;
  // The callback sees each object/array start with the number of containers around it; throwing
  // there stops the parser before it descends, so at most max_depth levels are ever built.
  auto bound = [&](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_depth)
      throw InputError(source + ": JSON nested deeper than " + std::to_string(max_depth) + " levels");
    return true;
  };
  try {
    return json::parse(text, bound);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e999
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace aekit::io
