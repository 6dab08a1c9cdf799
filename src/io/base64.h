// Base64 (RFC 4648, with padding), for embedding files in text: data: URIs in HTML reports.
#pragma once
#include <string>
#include <string_view>

namespace aekit::io {

std::string base64_encode(std::string_view bytes);

}  // namespace aekit::io
