// The inspection figure of one image: input | reconstruction | where they differ, side by side
// at the model's resolution (scaled up for viewing), the difference as a heat colour map.
#pragma once
#include "draw/color.h"
#include "draw/png.h"
#include "tensor/tensor.h"

namespace aekit::draw {

// x and y: one sample [C, H, W] (C = 1 or 3) or [H, W], values in [0, 1]. The heatmap is the
// per-pixel squared error averaged over channels, scaled so `error_at_full` (e.g. the largest
// error of the whole folder, so heatmaps compare across images) maps to the top of the colour
// map; 0 is black. InputError when the shapes differ or are not images.
Image error_heatmap_row(const Tensor& x, const Tensor& y, double error_at_full, int scale = 2);

}  // namespace aekit::draw
