// The web explorer's scatter: the codes of the first test samples, their 2-D positions, labels
// and input images (hover thumbnails). Codes wider than 2 are projected onto their first two
// principal components (eval/pca.h), and `projection` says so; a point of the plane maps back to
// a code as mean + x c1 + y c2, so a click on an empty spot can be decoded too.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "eval/pca.h"
#include "models/autoencoder.h"
#include "run/run_config.h"

namespace aekit::serve {

struct ExplorerPoints {
  Tensor codes;             // [N, L]
  Tensor xy;                // [N, 2]: the scatter's positions
  std::vector<int> labels;  // N labels, or empty
  Tensor inputs;            // [N, ...sample]: the test inputs, values in [0, 1]
  std::string projection;   // how xy was made from the codes, in words
  std::optional<eval::Pca> pca;  // set when codes were projected
  std::string unavailable;  // why there are no points ("" when there are)

  int64_t size() const { return xy.rank() ? xy.dim(0) : 0; }
  // The code at plane position (x, y): the code itself for 2-D codes, the PCA plane's point otherwise.
  std::vector<float> code_at(double x, double y) const;
};

// Reads up to max_points test samples of cfg's data (data_override replaces its dataset when
// not empty) and encodes them with `model` (eval mode). A data set that cannot be read leaves the
// points empty with `unavailable` saying why; the model server still answers without them.
ExplorerPoints make_explorer_points(models::Autoencoder& model, const run::RunConfig& cfg,
                                    const std::string& data_override, int64_t max_points);

}  // namespace aekit::serve
