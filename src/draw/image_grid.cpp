#include "draw/image_grid.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "draw/canvas.h"
#include "draw/text.h"
#include "tensor/error.h"

namespace aekit::draw {

namespace {

struct Layout {
  int64_t n, c, h, w;
};

Layout image_layout(const Tensor& t) {
  const bool ok = (t.rank() == 3 || (t.rank() == 4 && (t.dim(1) == 1 || t.dim(1) == 3))) && t.dim(-1) > 0 &&
                  t.dim(-2) > 0 && t.dim(-1) <= 1 << 14 && t.dim(-2) <= 1 << 14;
  require(ok, "image grid: expected images shaped [N,H,W], [N,1,H,W] or [N,3,H,W], got " +
                  to_string(t.shape()));
  return {t.dim(0), t.rank() == 4 ? t.dim(1) : 1, t.dim(-2), t.dim(-1)};
}

uint8_t to_byte(float v) {
  if (!(v > 0)) return 0;  // also NaN
  if (v >= 1) return 255;
  return static_cast<uint8_t>(std::lround(v * 255.0f));
}

}  // namespace

Image image_grid(const Tensor& images, int rows, int cols, int pad, int scale) {
  const Layout L = image_layout(images);
  if (cols <= 0 || pad < 0 || scale <= 0)
    throw std::invalid_argument("image_grid: need cols > 0, pad >= 0, scale > 0");
  if (rows <= 0) rows = static_cast<int>(std::max<int64_t>(1, (L.n + cols - 1) / cols));
  const int tile_w = static_cast<int>(L.w) * scale, tile_h = static_cast<int>(L.h) * scale;
  const int ch = static_cast<int>(L.c);
  Image img = make_image(cols * tile_w + (cols + 1) * pad, rows * tile_h + (rows + 1) * pad, ch,
                         kGridPadValue);
  const int64_t shown = std::min<int64_t>(L.n, int64_t{rows} * cols);
  for (int64_t k = 0; k < shown; ++k) {
    const int x0 = pad + static_cast<int>(k % cols) * (tile_w + pad);
    const int y0 = pad + static_cast<int>(k / cols) * (tile_h + pad);
    const float* src = images.data() + k * L.c * L.h * L.w;  // planes [C,H,W]
    for (int i = 0; i < tile_h; ++i)
      for (int j = 0; j < tile_w; ++j)
        for (int c = 0; c < ch; ++c)
          img.at(x0 + j, y0 + i)[c] = to_byte(src[(c * L.h + i / scale) * L.w + j / scale]);
  }
  return img;
}

Image labeled_rows(const std::vector<std::pair<std::string, Tensor>>& rows, int scale) {
  if (scale <= 0) throw std::invalid_argument("labeled_rows: scale must be > 0");
  const TextStyle style{scale >= 2 ? 12.0 : 10.0, kBlack};
  const int pad = 2, margin = 6;

  std::vector<Image> grids;
  std::vector<TextBox> boxes;
  int label_w = 0, grid_w = 0;
  for (const auto& [label, t] : rows) {
    const Layout L = image_layout(t);
    grids.push_back(L.n > 0 ? image_grid(t, 1, static_cast<int>(L.n), pad, scale) : Image{});
    boxes.push_back(measure_text(label, style));
    label_w = std::max(label_w, static_cast<int>(std::ceil(boxes.back().width)));
    grid_w = std::max(grid_w, grids.back().width);
  }
  std::vector<int> heights;
  int total_h = margin;
  for (size_t r = 0; r < rows.size(); ++r) {
    heights.push_back(std::max(grids[r].height, static_cast<int>(std::ceil(boxes[r].height))));
    total_h += heights.back() + margin;
  }
  const int grid_x = margin + label_w + (label_w > 0 ? margin : 0);
  // The labels are drawn as text and rasterised; the images are then copied in pixel for
  // pixel, never resampled.
  Canvas canvas(grid_x + grid_w + margin, total_h);
  int y = margin;
  for (size_t r = 0; r < rows.size(); ++r) {
    canvas.text(margin, y + heights[r] / 2.0, rows[r].first, style, Align::start, Align::center);
    y += heights[r] + margin;
  }
  Image out = std::move(canvas).finish().to_image();
  y = margin;
  for (size_t r = 0; r < rows.size(); ++r) {
    const Image& g = grids[r];
    const int gy = y + (heights[r] - g.height) / 2;
    for (int i = 0; i < g.height; ++i)
      for (int j = 0; j < g.width; ++j) {
        uint8_t* p = out.at(grid_x + j, gy + i);
        const uint8_t* q = g.at(j, i);
        for (int k = 0; k < 3; ++k) p[k] = q[g.channels == 3 ? k : 0];
      }
    y += heights[r] + margin;
  }
  return out;
}

bool is_colour_images(const Tensor& images) { return images.rank() == 4 && images.dim(1) == 3; }

}  // namespace aekit::draw
