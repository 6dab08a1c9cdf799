#include "draw/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aekit::draw {

namespace {

// Tick multiples k*step within [lo, hi]; the tolerance keeps an end that is a multiple
// (up to rounding) of the step.
std::pair<double, double> tick_index_range(double lo, double hi, double step) {
  const double eps = 1e-9;
  return {std::ceil(lo / step - eps), std::floor(hi / step + eps)};
}

// Removes the exponent's '+' and leading zeros: "2e-06" -> "2e-6", "1.5e+07" -> "1.5e7".
std::string tidy_exponent(std::string s) {
  const size_t e = s.find('e');
  if (e == std::string::npos) return s;
  std::string mant = s.substr(0, e), exp = s.substr(e + 1);
  bool neg = !exp.empty() && exp[0] == '-';
  if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) exp.erase(0, 1);
  exp.erase(0, std::min(exp.find_first_not_of('0'), exp.size() - 1));
  return mant + "e" + (neg ? "-" : "") + exp;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos)
    s = decimals > 0 ? "0." + std::string(decimals, '0') : "0";  // no "-0"
  return s;
}

}  // namespace

std::string format_number(double v, int significant) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", significant, v);
  return tidy_exponent(buf);
}

Ticks linear_ticks(double lo, double hi, int max_ticks, bool integer_only) {
  Ticks t;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return t;
  max_ticks = std::max(max_ticks, 2);
  const double range = hi - lo;
  double step;
  if (range <= 0) {
    step = lo == 0 ? 1 : std::pow(10.0, std::floor(std::log10(std::abs(lo))));
  } else {
    // Start one decade below the rough step and walk up 1, 2, 5, 10, 20, ... until it fits.
    double mag = std::pow(10.0, std::floor(std::log10(range / max_ticks)) - 1);
    for (int i = 0;; ++i) {
      step = mag * (i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 5);
      if (i % 3 == 2) mag *= 10;
      if (integer_only && step < 1) continue;
      auto [k0, k1] = tick_index_range(lo, hi, step);
      if (k1 - k0 + 1 <= max_ticks) break;
    }
  }
  if (integer_only) step = std::max(step, 1.0);
  auto [k0, k1] = tick_index_range(lo, hi, step);
  for (double k = k0; k <= k1; ++k) t.values.push_back(k * step);

  // One notation for all labels, with exactly the decimals the step needs.
  const int step_exp = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  double biggest = 0;
  for (double v : t.values) biggest = std::max(biggest, std::abs(v));
  const int big_exp = biggest > 0 ? static_cast<int>(std::floor(std::log10(biggest))) : 0;
  const bool scientific = step_exp < -4 || big_exp >= 6;
  for (double v : t.values) {
    if (std::abs(v) < step * 1e-6) v = 0;
    if (!scientific) {
      t.labels.push_back(fixed(v, std::max(0, -step_exp)));
    } else if (v == 0) {
      t.labels.push_back("0");
    } else {
      const int digits =
          std::max(0, static_cast<int>(std::floor(std::log10(std::abs(v)))) - step_exp);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*e", digits, v);
      t.labels.push_back(tidy_exponent(buf));
    }
  }
  return t;
}

Ticks log_ticks(double lo, double hi, int max_ticks) {
  Ticks t;
  if (!(lo > 0) || !std::isfinite(hi) || hi < lo) return t;
  max_ticks = std::max(max_ticks, 2);
  const double eps = 1e-9;
  const int e0 = static_cast<int>(std::ceil(std::log10(lo) - eps));
  const int e1 = static_cast<int>(std::floor(std::log10(hi) + eps));
  const int decades = e1 - e0 + 1;
  if (decades >= 2) {
    const int every = (decades + max_ticks - 1) / max_ticks;
    for (int e = e0; e <= e1; ++e)
      if (((e % every) + every) % every == 0) t.values.push_back(std::pow(10.0, e));
  } else {
    for (int e = e0 - 1; e <= e1; ++e)
      for (double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, e);
        if (v >= lo * (1 - eps) && v <= hi * (1 + eps)) t.values.push_back(v);
      }
    if (t.values.size() < 2 || static_cast<int>(t.values.size()) > max_ticks)
      return linear_ticks(lo, hi, max_ticks);
  }
  for (double v : t.values) t.labels.push_back(format_number(v, 3));
  return t;
}

}  // namespace aekit::draw
