// How one C++ type is read from and written to a config's JSON. read() refuses a wrong JSON type
// or a value outside `range` with an InputError naming `path`; integers refuse fractions ("epochs":
// 2.7), negatives for unsigned types ("seed": -1) and values the type cannot hold, instead of
// converting them. Specialise Codec for a type of your own next to the type (nn/conv2d.h does for
// kernel sizes).
#pragma once
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "config/path.h"
#include "config/range.h"

namespace aekit::config {

template <class T, class Enable = void>
struct Codec;

// Reads a JSON number as an integer in [lo, hi] ∩ range (InputError otherwise).
int64_t read_integer(const nlohmann::json& v, const std::string& path, const Range& range, double lo, double hi);
uint64_t read_unsigned(const nlohmann::json& v, const std::string& path, const Range& range);
double read_number(const nlohmann::json& v, const std::string& path, const Range& range);
// A float written back as its shortest decimal form (0.3f -> 0.3, not 0.30000001192092896).
nlohmann::json write_float(float f);

template <>
struct Codec<bool> {
  static std::string type_name() { return "boolean"; }
  static bool read(const nlohmann::json& v, const std::string& path, const Range&) {
    if (!v.is_boolean()) fail(path, "expected true or false, got " + describe_json(v));
    return v.get<bool>();
  }
  static nlohmann::json write(bool b) { return b; }
};

template <class I>
struct Codec<I, std::enable_if_t<std::is_integral_v<I> && std::is_signed_v<I>>> {
  static std::string type_name() { return "integer"; }
  static I read(const nlohmann::json& v, const std::string& path, const Range& range) {
    return static_cast<I>(read_integer(v, path, range, static_cast<double>(std::numeric_limits<I>::min()),
                                       static_cast<double>(std::numeric_limits<I>::max())));
  }
  static nlohmann::json write(I i) { return i; }
};

template <>
struct Codec<uint64_t> {
  static std::string type_name() { return "integer"; }
  static uint64_t read(const nlohmann::json& v, const std::string& path, const Range& range) {
    return read_unsigned(v, path, range);
  }
  static nlohmann::json write(uint64_t i) { return i; }
};

template <>
struct Codec<double> {
  static std::string type_name() { return "number"; }
  static double read(const nlohmann::json& v, const std::string& path, const Range& range) {
    return read_number(v, path, range);
  }
  static nlohmann::json write(double d) { return d; }
};

template <>
struct Codec<float> {
  static std::string type_name() { return "number"; }
  static float read(const nlohmann::json& v, const std::string& path, const Range& range) {
    return static_cast<float>(read_number(v, path, range));
  }
  static nlohmann::json write(float f) { return write_float(f); }
};

template <>
struct Codec<std::string> {
  static std::string type_name() { return "string"; }
  static std::string read(const nlohmann::json& v, const std::string& path, const Range&) {
    if (!v.is_string()) fail(path, "expected a string, got " + describe_json(v));
    return v.get<std::string>();
  }
  static nlohmann::json write(const std::string& s) { return s; }
};

// A list; `range` applies to each element.
template <class E>
struct Codec<std::vector<E>> {
  static std::string type_name() { return "list of " + Codec<E>::type_name(); }
  static std::vector<E> read(const nlohmann::json& v, const std::string& path, const Range& range) {
    if (!v.is_array()) fail(path, "expected a list, got " + describe_json(v));
    std::vector<E> out;
    for (size_t i = 0; i < v.size(); ++i) out.push_back(Codec<E>::read(v[i], index(path, i), range));
    return out;
  }
  static nlohmann::json write(const std::vector<E>& items) {
    nlohmann::json a = nlohmann::json::array();
    for (const E& e : items) a.push_back(Codec<E>::write(e));
    return a;
  }
};

// Any JSON, kept as it is: for a value another schema reads later (a model's layer lists, read by
// the layer registry).
template <>
struct Codec<nlohmann::json> {
  static std::string type_name() { return "JSON"; }
  static nlohmann::json read(const nlohmann::json& v, const std::string&, const Range&) { return v; }
  static nlohmann::json write(const nlohmann::json& v) { return v; }
};

// Absent or null -> nullopt (and not written back).
template <class E>
struct Codec<std::optional<E>> {
  static std::string type_name() { return Codec<E>::type_name() + " (optional)"; }
  static std::optional<E> read(const nlohmann::json& v, const std::string& path, const Range& range) {
    if (v.is_null()) return std::nullopt;
    return Codec<E>::read(v, path, range);
  }
  static nlohmann::json write(const std::optional<E>& o) { return o ? Codec<E>::write(*o) : nlohmann::json(); }
};

}  // namespace aekit::config
