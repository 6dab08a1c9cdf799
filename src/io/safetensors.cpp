#include "io/safetensors.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/json_text.h"
#include "tensor/error.h"

namespace aekit::io {

std::string encode_safetensors(const TensorFile& f) {
  nlohmann::json header = nlohmann::json::object();
  size_t offset = 0;
  for (const auto& [name, t] : f.tensors) {
    size_t bytes = static_cast<size_t>(t.size()) * sizeof(float);
    header[name] = {{"dtype", "F32"}, {"shape", t.shape()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!f.metadata.empty()) header["__metadata__"] = f.metadata;
  std::string h = header.dump();
  // Pad the header with spaces so the data starts 8-byte aligned (the format allows it).
  while ((8 + h.size()) % 8) h.push_back(' ');
  std::string out(8, '\0');
  uint64_t n = h.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  out += h;
  out.reserve(out.size() + offset);
  for (const auto& [name, t] : f.tensors)
    out.append(reinterpret_cast<const char*>(t.data()), static_cast<size_t>(t.size()) * sizeof(float));
  return out;
}

TensorFile decode_safetensors(const std::string& bytes, const std::string& path) {
  auto fail = [&](const std::string& what) -> void {
    throw InputError(path + ": not a valid safetensors file (" + what + ")");
  };
  if (bytes.size() < 8) fail("shorter than its 8-byte header length");
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  if (n > bytes.size() - 8) fail("header length " + std::to_string(n) + " exceeds file size");
  const nlohmann::json header = parse_json(bytes.substr(8, n), path + ": safetensors header");
  if (!header.is_object()) fail("header is not a JSON object");
  const size_t data_start = 8 + n, data_size = bytes.size() - data_start;
  TensorFile f;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it.value().is_object()) fail("__metadata__ is not an object");
      for (auto m = it.value().begin(); m != it.value().end(); ++m)
        if (m.value().is_string()) f.metadata[m.key()] = m.value().get<std::string>();
      continue;
    }
    const auto& e = it.value();
    if (!e.is_object() || !e.contains("dtype") || !e.contains("shape") || !e.contains("data_offsets"))
      fail("entry '" + it.key() + "' lacks dtype/shape/data_offsets");
    if (e["dtype"] != "F32") fail("tensor '" + it.key() + "' has dtype " + e["dtype"].dump() + ", expected F32");
    if (!e["shape"].is_array()) fail("tensor '" + it.key() + "' has a bad shape");
    Shape shape;
    for (const auto& d : e["shape"]) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0) fail("tensor '" + it.key() + "' has a bad shape");
      shape.push_back(d.get<int64_t>());
    }
    const auto& off = e["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      fail("tensor '" + it.key() + "' has bad data_offsets");
    const uint64_t b = off[0].get<uint64_t>(), end = off[1].get<uint64_t>();
    // The element count comes from the file: multiply with overflow checks ([2^62, 4] must not
    // wrap round to a size that matches empty offsets).
    const int64_t count = checked_numel(shape, path + ": tensor '" + it.key() + "'");
    if (b > end || end > data_size || end - b != static_cast<uint64_t>(count) * sizeof(float))
      fail("tensor '" + it.key() + "' data range does not match its shape or the file size");
    Tensor t(shape);
    if (t.size()) std::memcpy(t.data(), bytes.data() + data_start + b, end - b);
    f.tensors.emplace(it.key(), std::move(t));
  }
  return f;
}

void save_safetensors(const std::string& path, const TensorFile& f) {
  write_file_atomic(path, encode_safetensors(f));
}

TensorFile load_safetensors(const std::string& path) { return decode_safetensors(read_file(path), path); }

}  // namespace aekit::io
