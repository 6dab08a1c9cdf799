// The folders under src/ are the layers of the design (docs/design.md): a file may include its own
// folder and the folders below it, never one above. A new folder must be given its height here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Bottom to top.
const std::vector<std::string> kLayers = {"tensor", "config", "io",  "kernels", "nn",     "models",
                                          "data",   "draw",   "eval", "run",    "dist",   "train", "report",
                                          "export", "serve",  "api", "cli"};

int height(const std::string& folder) {
  auto it = std::find(kLayers.begin(), kLayers.end(), folder);
  return it == kLayers.end() ? -1 : static_cast<int>(it - kLayers.begin());
}

TEST(Layering, EveryFolderHasAHeight) {
  for (const auto& e : fs::directory_iterator(fs::path(AEKIT_SOURCE_DIR) / "src")) {
    if (!e.is_directory()) continue;
    EXPECT_GE(height(e.path().filename().string()), 0) << e.path() << " is not in kLayers";
  }
}

TEST(Layering, IncludesPointDownOnly) {
  const std::regex include_re(R"re(^\s*#\s*include\s*"([a-z_]+)/)re");
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(AEKIT_SOURCE_DIR) / "src")) {
    if (!e.is_regular_file()) continue;
    const std::string ext = e.path().extension().string();
    if (ext != ".h" && ext != ".cpp") continue;
    const std::string folder = fs::relative(e.path(), fs::path(AEKIT_SOURCE_DIR) / "src").begin()->string();
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include_re)) continue;
      ++checked;
      const std::string target = m[1];
      EXPECT_GE(height(target), 0) << e.path() << " includes unknown folder " << target;
      EXPECT_LE(height(target), height(folder)) << e.path() << " (" << folder << ") includes " << target
                                                << ", a layer above it: " << line;
    }
  }
  EXPECT_GT(checked, 100);  // the scan found the sources
}

}  // namespace
