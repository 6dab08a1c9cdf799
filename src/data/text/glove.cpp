#include "data/text/glove.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include "data/input_file.h"
#include "tensor/error.h"
#include "tensor/rng.h"

namespace aekit::data::text {
namespace {

std::string quoted(std::string_view field) {
  std::string s(field.substr(0, 40));
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 32) c = '?';
  return "'" + s + (field.size() > 40 ? "...'" : "'");
}

}  // namespace

Embeddings load_glove(const std::string& path, const Vocabulary& vocab, int64_t dim, uint64_t seed) {
  require(dim > 0, "glove: dimension must be positive, got " + std::to_string(dim));
  const std::string text = read_input_file(path);
  std::string_view rest = text;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);

  const int64_t V = vocab.size();
  Embeddings e;
  e.table = Tensor({V, dim});
  e.has_vector.assign(V, 0);
  int64_t vectors = 0;
  std::vector<std::string_view> fields;
  for (int64_t line_no = 1; !rest.empty(); ++line_no) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    fields.clear();
    for (size_t i = 0; i < line.size();) {
      const size_t j = std::min(line.find(' ', i), line.size());
      if (j > i) fields.push_back(line.substr(i, j - i));
      i = j + 1;
    }
    if (fields.empty()) continue;
    const auto where = [&] { return path + ":" + std::to_string(line_no) + ": "; };
    if (static_cast<int64_t>(fields.size()) != dim + 1)
      throw InputError(where() + "expected " + std::to_string(dim + 1) + " fields, found " +
                       std::to_string(fields.size()));
    ++vectors;
    const int32_t id = vocab.id(std::string(fields[0]));
    const bool wanted = id != Vocabulary::kUnk && id != Vocabulary::kPad && !e.has_vector[id];
    float* row = e.table.data() + id * dim;
    for (int64_t k = 0; k < dim; ++k) {
      const std::string_view f = fields[k + 1];
      float v = 0;
      const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
      if (ec != std::errc() || end != f.data() + f.size() || !std::isfinite(v))
        throw InputError(where() + "field " + std::to_string(k + 2) + " " + quoted(f) + " is not a number");
      if (wanted) row[k] = v;
    }
    if (wanted) {
      e.has_vector[id] = 1;
      ++e.found;
    }
  }
  require(vectors > 0, path + ": no word vectors");

  Rng rng(seed);
  float* unk = e.table.data() + Vocabulary::kUnk * dim;
  for (int64_t k = 0; k < dim; ++k) unk[k] = rng.uniform(-1.0f, 1.0f);
  std::memset(e.table.data(), 0, dim * sizeof(float));  // PAD
  for (int64_t id = 2; id < V; ++id)
    if (!e.has_vector[id]) std::memcpy(e.table.data() + id * dim, unk, dim * sizeof(float));
  return e;
}

}  // namespace aekit::data::text
