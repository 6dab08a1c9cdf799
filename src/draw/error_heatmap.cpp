#include "draw/error_heatmap.h"

#include <algorithm>
#include <cmath>

#include "tensor/error.h"

namespace aekit::draw {
namespace {

// "Inferno"-like ramp, black -> purple -> orange -> yellow: dark means "reconstructed well", so
// a clean image gives a dark tile and a defect glows.
Color heat(double t) {
  static constexpr Color stops[] = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  const int i = std::min(3, static_cast<int>(t));
  const double f = t - i;
  auto mix = [f](uint8_t a, uint8_t b) { return static_cast<uint8_t>(std::lround(a + (b - a) * f)); };
  return {mix(stops[i].r, stops[i + 1].r), mix(stops[i].g, stops[i + 1].g), mix(stops[i].b, stops[i + 1].b)};
}

uint8_t byte(float v) { return static_cast<uint8_t>(std::lround(std::clamp(std::isfinite(v) ? v : 0.0f, 0.0f, 1.0f) * 255)); }

}  // namespace

Image error_heatmap_row(const Tensor& x, const Tensor& y, double error_at_full, int scale) {
  require(x.shape() == y.shape(), "error heatmap: input " + to_string(x.shape()) + " and reconstruction " +
                                      to_string(y.shape()) + " differ");
  require(x.rank() == 2 || (x.rank() == 3 && (x.dim(0) == 1 || x.dim(0) == 3)),
          "error heatmap: " + to_string(x.shape()) + " is not an image [C, H, W]");
  const int C = x.rank() == 2 ? 1 : static_cast<int>(x.dim(0));
  const int H = static_cast<int>(x.dim(x.rank() - 2)), W = static_cast<int>(x.dim(x.rank() - 1));
  const int pad = 2 * scale;
  Image img = make_image(3 * W * scale + 4 * pad, H * scale + 2 * pad, 3, 255);
  const double full = error_at_full > 0 ? error_at_full : 1.0;
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) {
      Color in, out;
      double err = 0;
      uint8_t vin[3], vout[3];
      for (int k = 0; k < 3; ++k) {
        const int64_t at = (static_cast<int64_t>(std::min(k, C - 1)) * H + r) * W + c;
        vin[k] = byte(x[at]), vout[k] = byte(y[at]);
        if (k < C) {
          const double d = static_cast<double>(x[at]) - y[at];
          err += d * d / C;
        }
      }
      in = {vin[0], vin[1], vin[2]}, out = {vout[0], vout[1], vout[2]};
      const Color h = heat(std::sqrt(err / full));
      for (int dy = 0; dy < scale; ++dy)
        for (int dx = 0; dx < scale; ++dx) {
          const int py = pad + r * scale + dy;
          const Color tiles[3] = {in, out, h};
          for (int t = 0; t < 3; ++t) {
            uint8_t* p = img.at(pad + t * (W * scale + pad) + c * scale + dx, py);
            p[0] = tiles[t].r, p[1] = tiles[t].g, p[2] = tiles[t].b;
          }
        }
    }
  return img;
}

}  // namespace aekit::draw
