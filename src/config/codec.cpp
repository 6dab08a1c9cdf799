#include "config/codec.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace aekit::config {
namespace {
void check_range(double d, const nlohmann::json& v, const std::string& path, const Range& range) {
  if (!range.contains(d)) fail(path, v.dump() + " is out of range (allowed: " + range.describe() + ")");
}
}  // namespace

double read_number(const nlohmann::json& v, const std::string& path, const Range& range) {
  if (!v.is_number()) fail(path, "expected a number, got " + describe_json(v));
  const double d = v.get<double>();
  check_range(d, v, path, range);
  return d;
}

int64_t read_integer(const nlohmann::json& v, const std::string& path, const Range& range, double lo, double hi) {
  if (!v.is_number()) fail(path, "expected an integer, got " + describe_json(v));
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    fail(path, v.dump() + " is too large");
  const double d = v.is_number_float() ? v.get<double>() : static_cast<double>(v.get<int64_t>());
  if (v.is_number_float() && d != std::floor(d)) fail(path, "expected an integer, got " + v.dump());
  check_range(d, v, path, range);
  if (d < lo || d > hi) fail(path, v.dump() + " is out of range (allowed: " + Range{lo, hi}.describe() + ")");
  return v.is_number_float() ? static_cast<int64_t>(d) : v.get<int64_t>();
}

uint64_t read_unsigned(const nlohmann::json& v, const std::string& path, const Range& range) {
  if (!v.is_number()) fail(path, "expected an integer, got " + describe_json(v));
  if (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0)
    fail(path, v.dump() + " is out of range (allowed: >= 0)");
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d != std::floor(d)) fail(path, "expected an integer, got " + v.dump());
    if (d < 0 || d >= 18446744073709551616.0) fail(path, v.dump() + " is out of range (allowed: [0, 2^64 - 1])");
    check_range(d, v, path, range);
    return static_cast<uint64_t>(d);
  }
  const uint64_t u = v.get<uint64_t>();
  check_range(static_cast<double>(u), v, path, range);
  return u;
}

nlohmann::json write_float(float f) {
  if (!std::isfinite(f)) return static_cast<double>(f);
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  *r.ptr = 0;
  return std::strtod(buf, nullptr);
}

}  // namespace aekit::config
