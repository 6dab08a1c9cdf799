// Axis tick positions and their labels: round 1-2-5 steps on linear axes, decades on log axes.
#pragma once
#include <string>
#include <vector>

namespace aekit::draw {

struct Ticks {
  std::vector<double> values;
  std::vector<std::string> labels;  // one per value
};

// Ticks at multiples of the smallest step in {1, 2, 5} x 10^k that gives at most max_ticks
// values inside [lo, hi]; integer_only keeps the step >= 1 (counts, epochs).
Ticks linear_ticks(double lo, double hi, int max_ticks, bool integer_only = false);
// Ticks for a log axis over [lo, hi] (lo > 0): powers of ten (every m-th one if there are too
// many), with 2x and 5x added when fewer than two decades are visible; linear ticks if the
// range is narrower than that.
Ticks log_ticks(double lo, double hi, int max_ticks);

// Short text for v: fixed notation when compact, else 1.5e-6 style.
std::string format_number(double v, int significant = 6);

}  // namespace aekit::draw
