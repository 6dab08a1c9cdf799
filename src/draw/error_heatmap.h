// The inspection figure of one image: input | reconstruction | where they differ, side by side
// at the model's resolution (scaled up for viewing), the difference as a heat colour map.
#pragma once
#include "draw/color.h"
#include "draw/png.h"
#include "tensor/tensor.h"

namespace aekit::draw {

// x and y: one sample [C, H, W] (C = 1 or 3) or [H, W], values in [0, 1]. The heatmap is the
// per-pixel squared error e averaged over channels, drawn at sqrt(e / error_at_full) of the
// colour map (clamped): the square root shows it in the units of the pixel difference, so small
// errors stay visible; 0 is black. Pass one error_at_full for a whole folder so heatmaps
// compare. InputError when the shapes differ or are not images.
Image error_heatmap_row(const Tensor& x, const Tensor& y, double error_at_full, int scale = 2);

}  // namespace aekit::draw
