// Contact sheets of model inputs and outputs: samples, reconstructions, denoising results.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "draw/png.h"
#include "tensor/tensor.h"

namespace aekit::draw {

// Grey value of the padding between and around tiles.
inline constexpr uint8_t kGridPadValue = 255;

// Lays out images [N,H,W], [N,1,H,W] or [N,3,H,W] (values in [0,1]; clamped, NaN shown as 0; colour
// planes give an RGB image, grey ones a grey image) row-major in
// a rows x cols grid: sample k goes to row k / cols, column k % cols, each pixel drawn as
// scale x scale, with pad pixels between tiles and around the edge. Samples past rows * cols
// are left out and unused cells stay padding; rows <= 0 means as many rows as N needs.
// Result: (cols * W * scale + (cols + 1) * pad) wide and likewise high.
// A tensor of another shape is an InputError.
Image image_grid(const Tensor& images, int rows, int cols, int pad = 2, int scale = 1);

// RGB figure with one row per entry (e.g. {"original", x}, {"reconstruction", y}): the label
// at the left, then that tensor's images side by side as in image_grid, so equal-length rows
// line up column by column.
// Callers with grey data may store it as grey (to_grey) to keep the PNG small.
Image labeled_rows(const std::vector<std::pair<std::string, Tensor>>& rows, int scale = 2);

// True for [N,3,H,W]: figures of such images must stay RGB (not go through to_grey).
bool is_colour_images(const Tensor& images);

}  // namespace aekit::draw
