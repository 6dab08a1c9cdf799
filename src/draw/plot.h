// Figures for training runs and latent spaces: line plots (loss curves), scatter plots
// (2-D latent codes coloured by class) and histograms, drawn with cairo as vector Figures
// (figure.h) that write PNG, SVG or PDF by the file's extension (write_figure).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "draw/figure.h"

namespace aekit::draw {

struct Series {
  std::string name;  // legend text; unnamed series get no legend entry
  std::vector<double> x, y;
};

struct Range {
  double lo = 0, hi = 1;
};

// A circle in data units drawn over a scatter plot, e.g. the unit-std circle of a VAE prior.
struct CircleOverlay {
  double cx = 0, cy = 0, r = 1;
  std::string label;  // legend text, may be empty
};

enum class LegendPlace {
  Auto,     // line plots: Inside; scatter plots: Outside
  Inside,   // in the corner of the plot area that covers the fewest drawn data pixels
  Outside,  // to the right of the plot area
  None,
};

struct PlotOptions {
  int width = 640, height = 420;  // pixels at 100 dpi (figure.h), at least 160 x 120
  std::string title, x_label, y_label;
  bool log_y = false;                     // non-positive y values are then skipped like NaN
  std::optional<Range> x_range, y_range;  // fixed axis limits (zoom); data outside is clipped
  bool integer_x = false;                 // x ticks at whole numbers only (epochs)
  LegendPlace legend = LegendPlace::Auto;
  // Scatter plots only.
  std::optional<CircleOverlay> circle;  // also kept inside automatic axis limits
  bool equal_aspect = false;            // same data units per pixel on both axes
  double point_radius = -1;             // px; -1: 3, or 1.6 beyond 2000 points
  std::vector<std::string> label_names;  // legend text of label l (its number when absent)
};

// One line per series in the next colour of a 10-colour palette (repeating after 10). Non-finite
// points are skipped and break the line; points are also marked with dots when a series has at
// most 40 of them. Automatic limits: x tight to the data, y with 5% headroom.
Figure line_plot(const std::vector<Series>& series, const PlotOptions& opt = {});

// Points (x[i], y[i]) coloured by labels[i] (palette colour labels[i] mod 10, so a class keeps
// its colour across figures) with a legend of the distinct labels; labels may be empty (one
// colour, no legend). Points are drawn in input order; non-finite ones are skipped.
Figure scatter_plot(const std::vector<double>& x, const std::vector<double>& y,
                   const std::vector<int>& labels, const PlotOptions& opt = {});

// Counts of the finite values in `bins` equal-width bins over x_range (default: the values'
// min..max; values outside the range are not counted).
Figure histogram(const std::vector<double>& values, int bins, const PlotOptions& opt = {});

}  // namespace aekit::draw
