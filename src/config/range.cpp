#include "config/range.h"

#include <cmath>
#include <sstream>

namespace aekit::config {
namespace {
std::string number(double v) {
  std::ostringstream o;
  o.precision(15);
  o << v;
  return o.str();
}
}  // namespace

bool Range::contains(double v) const {
  if (std::isnan(v)) return false;
  if (lo_open ? !(v > lo) : !(v >= lo)) return false;
  if (hi_open ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

std::string Range::describe() const {
  const bool has_lo = lo > -std::numeric_limits<double>::infinity();
  const bool has_hi = hi < std::numeric_limits<double>::infinity();
  if (has_lo && has_hi) return (lo_open ? "(" : "[") + number(lo) + ", " + number(hi) + (hi_open ? ")" : "]");
  if (has_lo) return (lo_open ? "> " : ">= ") + number(lo);
  if (has_hi) return (hi_open ? "< " : "<= ") + number(hi);
  return "";
}

}  // namespace aekit::config
