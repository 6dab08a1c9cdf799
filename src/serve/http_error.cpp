#include "serve/http_error.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace aekit::serve {

std::string error_json(const std::string& message) {
  std::string one_line = message;
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  // Invalid UTF-8 from a request (echoed in a message) must not make dump() throw.
  return nlohmann::json{{"error", one_line}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace aekit::serve
