// The web latent explorer's files (src/serve/web/*), compiled into the binary: the build turns
// each into a byte array (cmake/embed_web_assets.cmake), so `aekit serve` needs no files beside
// it and the page loads nothing from the network.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace aekit::serve {

struct WebAsset {
  std::string name;        // the file name, e.g. "explorer.js"
  std::string_view bytes;  // its contents (static storage)
};

const std::vector<WebAsset>& web_assets();

// The asset named `name`, or nullptr.
const WebAsset* find_web_asset(const std::string& name);
// "text/html; charset=utf-8" etc. from the file name's extension.
std::string content_type_for(const std::string& name);

}  // namespace aekit::serve
