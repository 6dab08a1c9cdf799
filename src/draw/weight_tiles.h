// Chapter 002's figure 8.6: a dense layer's weight matrix drawn as one tile per hidden unit, the
// unit's incoming weights laid out in the input's image shape. Bright = large positive weight,
// dark = large negative, mid grey = zero.
#pragma once
#include "draw/png.h"
#include "tensor/tensor.h"

namespace aekit::draw {

enum class TileScale {
  shared,    // one scale for the whole matrix, so units with larger weights look brighter (as in
             // the chapter's comparison of the standard and the sparse model)
  per_unit,  // each tile stretched to its own range, to see every unit's pattern
};

// weight: [units, H * W] (PyTorch's nn.Linear layout, which Dense uses). Weights map linearly
// to grey with 0 -> 0.5 and +-m -> 1/0, m = the 99.5th percentile of |w| in scope (the matrix
// or the tile); larger weights saturate.
// Tiles go row-major in rows of `cols`, each pixel drawn scale x scale. Shapes that do not fit
// are an InputError.
Image weight_tiles(const Tensor& weight, int64_t height, int64_t width, int cols, TileScale scale_mode,
                   int scale = 1);

}  // namespace aekit::draw
