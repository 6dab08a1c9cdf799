// One declaration per config object. Each key is declared once — name, C++ member (whose value in
// a default-constructed object is the default), allowed range or values — and that declaration
// both parses the JSON (refusing unknown keys with the nearest valid one, wrong types and
// out-of-range values, each error naming the path, e.g. "model.encoder[0].units") and writes the
// object back (config()), so parsing and saving cannot drift apart.
//
//   struct DenseOptions { int64_t units = 0; Act activation = Act::linear; bool use_bias = true; };
//   const config::Schema<DenseOptions>& schema() {
//     static const auto s = config::Schema<DenseOptions>("dense")
//         .required("units", &DenseOptions::units, config::between(1, 1 << 24))
//         .choice("activation", &DenseOptions::activation, act_names())
//         .key("use_bias", &DenseOptions::use_bias);
//     return s;
//   }
//   DenseOptions o = schema().parse(json, "model.encoder[0]");   // InputError on any problem
//   nlohmann::json back = schema().write(o);
//
// Value types are read by Codec<T> (codec.h); a type of a higher layer (a conv kernel's [h, w])
// gets its own Codec specialisation next to it.
#pragma once
#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/codec.h"
#include "config/path.h"
#include "config/range.h"

namespace aekit::config {

// What `aekit check --keys` and docs print about one key.
struct KeyInfo {
  std::string name, type, allowed, default_value;
  bool required = false;
};

template <class T>
class Schema {
 public:
  // `what` names the object in messages ("dense", "adam", "data (kind images)").
  explicit Schema(std::string what) : what_(std::move(what)) {}

  // A key read by Codec<M>; numbers (and each number of a list) must lie in `range`.
  template <class M>
  Schema& key(const std::string& name, M T::*member, Range range = {}) {
    return add(name, member, range, false);
  }
  template <class M>
  Schema& required(const std::string& name, M T::*member, Range range = {}) {
    return add(name, member, range, true);
  }
  // A string key limited to `values`.
  Schema& one_of(const std::string& name, std::string T::*member, std::vector<std::string> values,
                 bool required = false) {
    Field f = basic(name, "string", join_values(values), required);
    f.read = [member, values, name](const nlohmann::json& v, T& t, const std::string& path) {
      std::string s = Codec<std::string>::read(v, path, {});
      if (std::find(values.begin(), values.end(), s) == values.end())
        fail(path, "\"" + s + "\" is not one of " + join_values(values) + suggestion(s, values));
      t.*member = std::move(s);
    };
    f.write = [member](const T& t, nlohmann::json& j, const std::string& n) { j[n] = t.*member; };
    f.show = [member](const T& t) { return nlohmann::json(t.*member).dump(); };
    fields_.push_back(std::move(f));
    return *this;
  }
  // An enum (or any value) spelled as one of `names`.
  template <class E>
  Schema& choice(const std::string& name, E T::*member, std::vector<std::pair<std::string, E>> names) {
    std::vector<std::string> spellings;
    for (const auto& [s, e] : names) spellings.push_back(s);
    Field f = basic(name, "string", join_values(spellings), false);
    f.read = [member, names, spellings](const nlohmann::json& v, T& t, const std::string& path) {
      const std::string s = Codec<std::string>::read(v, path, {});
      for (const auto& [n, e] : names)
        if (n == s) return void(t.*member = e);
      fail(path, "\"" + s + "\" is not one of " + join_values(spellings) + suggestion(s, spellings));
    };
    f.write = [member, names](const T& t, nlohmann::json& j, const std::string& n) {
      for (const auto& [s, e] : names)
        if (e == t.*member) return void(j[n] = s);
    };
    f.show = [member, names](const T& t) {
      for (const auto& [s, e] : names)
        if (e == t.*member) return "\"" + s + "\"";
      return std::string("?");
    };
    fields_.push_back(std::move(f));
    return *this;
  }
  // A nested object with its own schema; absent -> the member's default (or, when required, an
  // error).
  template <class S>
  Schema& object(const std::string& name, S T::*member, const Schema<S>& (*schema)(), bool required = false) {
    Field f = basic(name, "object", "keys of " + schema().what(), required);
    f.read = [member, schema](const nlohmann::json& v, T& t, const std::string& path) {
      t.*member = schema().parse(v, path);
    };
    f.write = [member, schema](const T& t, nlohmann::json& j, const std::string& n) {
      j[n] = schema().write(t.*member);
    };
    f.show = [](const T&) { return std::string("{...}"); };
    fields_.push_back(std::move(f));
    return *this;
  }
  // An optional nested object: absent (or null) -> std::nullopt, and not written back.
  template <class S>
  Schema& object(const std::string& name, std::optional<S> T::*member, const Schema<S>& (*schema)()) {
    Field f = basic(name, "object", "keys of " + schema().what(), false);
    f.read = [member, schema](const nlohmann::json& v, T& t, const std::string& path) {
      if (v.is_null()) return void(t.*member = std::nullopt);
      t.*member = schema().parse(v, path);
    };
    f.write = [member, schema](const T& t, nlohmann::json& j, const std::string& n) {
      if (t.*member) j[n] = schema().write(*(t.*member));
    };
    f.show = [](const T&) { return std::string("none"); };
    fields_.push_back(std::move(f));
    return *this;
  }
  // A key read and written by functions of the caller: for a polymorphic object whose keys depend
  // on its own "type" (an optimizer), or a value read by a later stage (a model's layer lists).
  template <class M>
  Schema& custom(const std::string& name, M T::*member, bool required, std::string type,
                 std::function<M(const nlohmann::json&, const std::string& path)> read,
                 std::function<nlohmann::json(const M&)> write) {
    Field f = basic(name, std::move(type), "", required);
    f.read = [member, read](const nlohmann::json& v, T& t, const std::string& path) { t.*member = read(v, path); };
    f.write = [member, write](const T& t, nlohmann::json& j, const std::string& n) { j[n] = write(t.*member); };
    f.show = [member, write](const T& t) { return write(t.*member).dump(); };
    fields_.push_back(std::move(f));
    return *this;
  }
  // Runs after every key was read: checks that involve several keys, or fills values whose default
  // depends on another key. Throws via config::fail(path, ...).
  Schema& finally(std::function<void(T&, const std::string& path)> f) {
    finally_.push_back(std::move(f));
    return *this;
  }

  // Parses `j` (an object) at `path`. `also_allowed` names keys a caller reads itself ("type").
  T parse(const nlohmann::json& j, const std::string& path, const std::vector<std::string>& also_allowed = {"type"}) const {
    T t{};
    parse_into(j, path, t, also_allowed);
    return t;
  }
  // As parse(), starting from `t` instead of a default-constructed object.
  void parse_into(const nlohmann::json& j, const std::string& path, T& t,
                  const std::vector<std::string>& also_allowed = {"type"}) const {
    if (!j.is_object()) fail(path, "expected an object (" + what_ + "), got " + describe_json(j));
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (find(it.key()) || std::find(also_allowed.begin(), also_allowed.end(), it.key()) != also_allowed.end())
        continue;
      std::vector<std::string> valid = names();
      valid.insert(valid.end(), also_allowed.begin(), also_allowed.end());
      fail(path, "unknown key \"" + it.key() + "\" for " + what_ + suggestion(it.key(), valid) +
                     " (valid: " + join_values(names()) + ")");
    }
    for (const Field& f : fields_) {
      auto it = j.find(f.name);
      if (it == j.end()) {
        if (f.required) fail(path, "missing key \"" + f.name + "\" (" + f.type + (f.allowed.empty() ? "" : ", " + f.allowed) + ")");
        continue;
      }
      f.read(*it, t, join(path, f.name));
    }
    for (const auto& fn : finally_) fn(t, path);
  }

  nlohmann::json write(const T& t) const {
    nlohmann::json j = nlohmann::json::object();
    for (const Field& f : fields_) f.write(t, j, f.name);
    return j;
  }

  const std::string& what() const { return what_; }
  std::vector<std::string> names() const {
    std::vector<std::string> v;
    for (const Field& f : fields_) v.push_back(f.name);
    return v;
  }
  std::vector<KeyInfo> keys() const {
    const T defaults{};
    std::vector<KeyInfo> v;
    for (const Field& f : fields_) v.push_back({f.name, f.type, f.allowed, f.required ? "" : f.show(defaults), f.required});
    return v;
  }

 private:
  struct Field {
    std::string name, type, allowed;
    bool required = false;
    std::function<void(const nlohmann::json&, T&, const std::string&)> read;
    std::function<void(const T&, nlohmann::json&, const std::string&)> write;
    std::function<std::string(const T&)> show;
  };

  Field basic(const std::string& name, std::string type, std::string allowed, bool required) const {
    for (const Field& f : fields_)
      if (f.name == name) throw std::logic_error(what_ + ": key \"" + name + "\" declared twice");
    Field f;
    f.name = name;
    f.type = std::move(type);
    f.allowed = std::move(allowed);
    f.required = required;
    return f;
  }

  template <class M>
  Schema& add(const std::string& name, M T::*member, Range range, bool required) {
    Field f = basic(name, Codec<M>::type_name(), range.describe(), required);
    f.read = [member, range](const nlohmann::json& v, T& t, const std::string& path) {
      t.*member = Codec<M>::read(v, path, range);
    };
    f.write = [member](const T& t, nlohmann::json& j, const std::string& n) {
      nlohmann::json v = Codec<M>::write(t.*member);
      if (!v.is_null()) j[n] = std::move(v);  // an unset optional is not written
    };
    f.show = [member](const T& t) { return Codec<M>::write(t.*member).dump(); };
    fields_.push_back(std::move(f));
    return *this;
  }

  const Field* find(const std::string& name) const {
    for (const Field& f : fields_)
      if (f.name == name) return &f;
    return nullptr;
  }

  std::string what_;
  std::vector<Field> fields_;
  std::vector<std::function<void(T&, const std::string&)>> finally_;
};

}  // namespace aekit::config
