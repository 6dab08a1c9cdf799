// How the server refuses a request: an HttpError carries the status (4xx for the caller's
// mistakes, 503 while a run has no finished epoch) and a one-line message naming the request and
// the problem; the server answers it as {"error": "..."}.
#pragma once
#include <stdexcept>
#include <string>

namespace aekit::serve {

struct HttpError : std::runtime_error {
  HttpError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
  int status;
};

// {"error": "<message>"} on one line (newlines in the message become spaces).
std::string error_json(const std::string& message);

}  // namespace aekit::serve
