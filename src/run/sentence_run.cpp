#include "run/sentence_run.h"

#include <filesystem>
#include <sstream>

#include "io/atomic_file.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "tensor/error.h"
#include "run/run_data.h"

namespace aekit::run {
namespace {

std::string join_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) {
    // Sentences and tokens are white-space collapsed, so a newline here would be a bug upstream.
    require(l.find('\n') == std::string::npos, "sentence run: a line contains a newline");
    s += l;
    s += '\n';
  }
  return s;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

}  // namespace

bool is_sentence_run(const RunConfig& cfg) { return cfg.data.kind == "sentences"; }

Tensor ids_to_tensor(const data::text::TokenIds& ids) {
  Tensor t({ids.rows, ids.length});
  for (size_t i = 0; i < ids.ids.size(); ++i) t[i] = static_cast<float>(ids.ids[i]);
  return t;
}

data::text::TokenIds tensor_to_ids(const Tensor& t, const std::string& source) {
  require(t.rank() == 2, source + ": expected [rows, length] ids, got " + to_string(t.shape()));
  data::text::TokenIds ids;
  ids.rows = t.dim(0);
  ids.length = t.dim(1);
  ids.ids.resize(t.size());
  for (int64_t i = 0; i < t.size(); ++i) {
    require(t[i] >= 0 && t[i] == static_cast<float>(static_cast<int32_t>(t[i])),
            source + ": value " + std::to_string(t[i]) + " is not a word id");
    ids.ids[i] = static_cast<int32_t>(t[i]);
  }
  return ids;
}

void save_sentence_run(const std::string& dir, const data::text::SentenceCorpus& c) {
  io::make_dirs(dir);
  io::write_file_atomic(dir + "/vocab.txt", join_lines(c.vocab.words()));
  io::TensorFile f;
  f.tensors["embeddings"] = c.embeddings.table;
  f.metadata["rows"] = "word ids of vocab.txt (0 PAD, 1 UNK)";
  io::save_safetensors(dir + "/embeddings.safetensors", f);
  io::write_file_atomic(dir + "/test_sentences.txt", join_lines(c.test.sentences));
  io::save_npy(dir + "/test_ids.npy", ids_to_tensor(c.test.ids));
  io::save_npy(dir + "/train_ids.npy", ids_to_tensor(c.train.ids));
}

SentenceRun load_sentence_run(const std::string& dir) {
  require(std::filesystem::is_directory(dir), dir + ": no such run folder");
  require(std::filesystem::exists(dir + "/vocab.txt"),
          dir + ": no vocab.txt; not a sentence run (train a config with data kind \"sentences\")");
  SentenceRun r;
  r.options = sentence_options(load_run_config(dir + "/config.json"));
  try {
    r.vocab = data::text::Vocabulary::from_words(split_lines(io::read_file(dir + "/vocab.txt")));
  } catch (const InputError& e) {
    throw InputError(dir + "/vocab.txt: " + e.what());
  }
  const std::string emb = dir + "/embeddings.safetensors";
  io::TensorFile f = io::load_safetensors(emb);
  require(f.tensors.count("embeddings"), emb + ": no \"embeddings\" tensor");
  r.table = f.tensors.at("embeddings");
  require(r.table.rank() == 2 && r.table.dim(0) == r.vocab.size(),
          emb + ": table " + to_string(r.table.shape()) + " does not match the " + std::to_string(r.vocab.size()) +
              " words of vocab.txt");
  r.test_ids = tensor_to_ids(io::load_npy(dir + "/test_ids.npy"), dir + "/test_ids.npy");
  for (int32_t id : r.test_ids.ids)
    require(id < r.vocab.size(), dir + "/test_ids.npy: id " + std::to_string(id) + " outside the vocabulary");
  r.test_sentences = split_lines(io::read_file(dir + "/test_sentences.txt"));
  require(static_cast<int64_t>(r.test_sentences.size()) == r.test_ids.rows,
          dir + "/test_sentences.txt: " + std::to_string(r.test_sentences.size()) + " lines for " +
              std::to_string(r.test_ids.rows) + " rows of test_ids.npy");
  return r;
}

}  // namespace aekit::run
