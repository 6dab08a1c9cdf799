// The allowed interval of a numeric config value, for checking and for messages ("[1, 16777216]",
// "> 0", "[0, 1)").
#pragma once
#include <limits>
#include <string>

namespace aekit::config {

struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;

  bool contains(double v) const;
  bool bounded() const { return lo > -std::numeric_limits<double>::infinity() || hi < std::numeric_limits<double>::infinity(); }
  std::string describe() const;  // "" when unbounded
};

inline Range at_least(double lo) { return {lo}; }
inline Range above(double lo) { return {lo, std::numeric_limits<double>::infinity(), true}; }
inline Range between(double lo, double hi) { return {lo, hi}; }
// [lo, hi): e.g. a dropout rate or a momentum.
inline Range from_below(double lo, double hi) { return {lo, hi, false, true}; }

}  // namespace aekit::config
