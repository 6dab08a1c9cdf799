// Helpers shared by the drawing tests: a scratch folder and pixel queries.
#pragma once
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "draw/canvas.h"
#include "draw/png.h"

namespace aekit::draw::testing {

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("aekit_report_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

inline Color pixel(const Image& img, int x, int y) {
  const uint8_t* p = img.at(x, y);
  return img.channels == 1 ? Color{p[0], p[0], p[0]} : Color{p[0], p[1], p[2]};
}

inline long count_color(const Image& img, Color c, int x0 = 0, int y0 = 0, int x1 = -1,
                        int y1 = -1) {
  if (x1 < 0) x1 = img.width;
  if (y1 < 0) y1 = img.height;
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += pixel(img, x, y) == c;
  return n;
}

// Pixels within tol of c in every channel: anti-aliased drawing blends edges into the
// background, so "this colour" means its core plus whatever came out nearly the same.
inline long count_near(const Image& img, Color c, int tol, int x0 = 0, int y0 = 0, int x1 = -1,
                       int y1 = -1) {
  if (x1 < 0) x1 = img.width;
  if (y1 < 0) y1 = img.height;
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const Color p = pixel(img, x, y);
      n += std::abs(p.r - c.r) <= tol && std::abs(p.g - c.g) <= tol && std::abs(p.b - c.b) <= tol;
    }
  return n;
}

}  // namespace aekit::draw::testing
