// Sentence runs (data kind "sentences", the chapter 002 LSTM autoencoder), from the run folder
// alone (train/sentence_run.h):
//   aekit embed --run DIR --text "..."             the sentence vector, one line of numbers
//   aekit similar --run DIR --text "..." [--top N] the run's test sentences nearest by cosine
//                                                  (their vectors cached in DIR/test_vectors.npy)
//   aekit sentences --run DIR [--n 500] [--seed S] cosine of encoder(x) vs encoder(AE(x)),
//                                                  histogram, reconstructed sentences
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "eval/cosine.h"
#include "eval/sentences.h"
#include "io/npy.h"
#include "report/sentence_report.h"
#include "tensor/error.h"
#include "run/load_run.h"
#include "run/sentence_run.h"

namespace aekit::cli {
namespace {

struct Opened {
  run::SentenceRun text;  // loaded first: its error names a folder that is not a sentence run
  run::LoadedRun run;
};

Opened open_sentence_run(const std::string& dir) {
  Opened o{run::load_sentence_run(dir), {}};
  o.run = run::load_run(dir);
  return o;
}

// The user's text as one sentence, tokenised, padded and truncated like the training data.
data::text::TokenIds query_ids(const Opened& o, const std::string& text) {
  data::text::TokenIds q;
  q.rows = 1;
  q.length = o.text.options.seq_len;
  q.ids = data::text::encode_sentence(text, o.text.vocab, o.text.options);
  require(eval::ids_to_text(q.ids.data(), q.length, o.text.vocab) != "", "--text has no words");
  return q;
}

// The test sentences' vectors, cached in DIR/test_vectors.npy: encoding a few thousand sentences
// with the 512-unit BiLSTM takes seconds, a query should not. The cache is used only when it is
// newer than the weights and has one row per test sentence; otherwise it is rewritten.
Tensor test_vectors(const std::string& dir, Opened& o) {
  namespace fs = std::filesystem;
  const std::string cache = dir + "/test_vectors.npy";
  std::error_code ec;
  if (fs::exists(cache, ec) && fs::last_write_time(cache, ec) > fs::last_write_time(o.run.weights_path, ec) && !ec) {
    Tensor v = io::load_npy(cache);
    if (v.rank() == 2 && v.dim(0) == o.text.test_ids.rows && v.dim(1) == numel(o.run.model->code_shape())) return v;
  }
  Tensor v = eval::sentence_vectors(*o.run.model, o.text.test_ids, o.text.table);
  io::save_npy(cache, v);
  return v;
}

}  // namespace

void add_sentence_tools(CLI::App& app) {
  {
    auto* cmd = app.add_subcommand("embed", "Sentence run: print the sentence vector of a text");
    struct Args {
      std::string run, text;
      bool tokens = false;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--run", a->run, "Run folder of a sentence run")->required();
    cmd->add_option("--text", a->text, "The sentence")->required();
    cmd->add_flag("--tokens", a->tokens, "Also print the tokens the model sees (UNK for unknown words) first");
    cmd->callback([a] {
      Opened o = open_sentence_run(a->run);
      const data::text::TokenIds q = query_ids(o, a->text);
      if (a->tokens) std::printf("tokens: %s\n", eval::ids_to_text(q.ids.data(), q.length, o.text.vocab).c_str());
      const Tensor v = eval::sentence_vectors(*o.run.model, q, o.text.table);
      for (int64_t i = 0; i < v.size(); ++i) std::printf(i ? " %.6g" : "%.6g", v[i]);
      std::printf("\n");
    });
  }
  {
    auto* cmd = app.add_subcommand("similar", "Sentence run: test sentences most similar to a text");
    struct Args {
      std::string run, text;
      int64_t top = 5;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--run", a->run, "Run folder of a sentence run")->required();
    cmd->add_option("--text", a->text, "The query sentence")->required();
    cmd->add_option("--top", a->top, "How many to print")->check(CLI::PositiveNumber);
    cmd->callback([a] {
      Opened o = open_sentence_run(a->run);
      const Tensor q = eval::sentence_vectors(*o.run.model, query_ids(o, a->text), o.text.table);
      const Tensor all = test_vectors(a->run, o);
      std::printf("query: %s\n", eval::ids_to_text(query_ids(o, a->text).ids.data(), o.text.options.seq_len,
                                                   o.text.vocab).c_str());
      int rank = 0;
      for (const auto& [row, sim] : eval::rank_by_cosine(q.data(), all, a->top))
        std::printf("%d  %.4f  [test %lld] %s\n", ++rank, sim, static_cast<long long>(row),
                    o.text.test_sentences[row].c_str());
    });
  }
  {
    auto* cmd = app.add_subcommand("sentences", "Sentence run: the chapter's cosine evaluation and reconstructions");
    struct Args {
      std::string run;
      int64_t n = 500, seed = -1, show = 5;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--run", a->run, "Run folder of a sentence run")->required();
    cmd->add_option("--n", a->n, "Test sentences evaluated (seeded random subset)")->check(CLI::PositiveNumber);
    cmd->add_option("--seed", a->seed, "Seed of the subset (default: the run's seed)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--show", a->show, "Reconstructed sentences shown")->check(CLI::NonNegativeNumber);
    cmd->callback([a] {
      Opened o = open_sentence_run(a->run);
      report::SentenceReportOptions opt;
      opt.n = a->n;
      opt.seed = a->seed >= 0 ? static_cast<uint64_t>(a->seed) : o.run.cfg.train.seed;
      opt.show = a->show;
      for (const auto& f : report::write_sentence_report(a->run, *o.run.model, o.text, opt))
        std::printf("wrote %s\n", f.c_str());
    });
  }
}

}  // namespace aekit::cli
