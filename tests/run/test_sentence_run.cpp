// Sentence runs end to end on a tiny synthetic corpus: what training persists, embed / similar /
// sentences on the folder, and the cosine evaluation.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>

#include "eval/cosine.h"
#include "eval/sentences.h"
#include "io/atomic_file.h"
#include "io/npy.h"
#include "report/sentence_report.h"
#include "support/run_cli.h"
#include "support/sentence_corpus.h"
#include "tensor/error.h"
#include "run/load_run.h"
#include "run/run_data.h"
#include "run/sentence_run.h"
#include "train/trainer.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// Trains the tiny config into scratch/run (quietly, no figures unless asked) and returns the folder.
std::string train_tiny(const ScratchDir& scratch, const TinySentenceCorpus& corpus, nlohmann::json cfg_json = {}) {
  if (cfg_json.is_null()) cfg_json = corpus.config();
  train::TrainOptions o;
  o.out_dir = scratch / "run";
  o.quiet = true;
  train::train(run::parse_run_config(cfg_json, "tiny"), o);
  return o.out_dir;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(SentenceRun, PersistsVocabularyTableAndSplitsThatRoundTrip) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  const std::string dir = train_tiny(scratch, corpus);
  const run::RunData d = run::load_run_data(run::parse_run_config(corpus.config(), "tiny"));
  const run::SentenceRun r = run::load_sentence_run(dir);
  EXPECT_EQ(r.vocab.words(), d.text->vocab.words());
  ASSERT_EQ(r.table.shape(), d.text->embeddings.table.shape());
  EXPECT_TRUE(std::equal(r.table.begin(), r.table.end(), d.text->embeddings.table.begin()));
  EXPECT_EQ(r.test_ids.ids, d.text->test.ids.ids);
  EXPECT_EQ(r.test_ids.length, 8);
  EXPECT_EQ(r.test_sentences, d.text->test.sentences);
  EXPECT_EQ(r.options.seq_len, 8);
  const run::SentenceRun again = run::load_sentence_run(dir);
  EXPECT_EQ(again.test_ids.ids, r.test_ids.ids);
  // The training ids for other tools: the rows the run trained on.
  const Tensor train_ids = io::load_npy(dir + "/train_ids.npy");
  EXPECT_EQ(run::tensor_to_ids(train_ids, "t").ids, d.text->train.ids.ids);
  EXPECT_EQ(lines(io::read_file(dir + "/vocab.txt"))[1], "UNK");
}

TEST(SentenceRun, TrainLimitKeepsASeededSubsetOfTheTrainingSplit) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  nlohmann::json j = corpus.config(1);
  const run::RunData full = run::load_run_data(run::parse_run_config(j, "tiny"));
  j["data"]["train_limit"] = 7;
  j["data"]["test_limit"] = 3;
  const std::string dir = train_tiny(scratch, corpus, j);
  const Tensor ids = io::load_npy(dir + "/train_ids.npy");
  ASSERT_EQ(ids.shape(), (Shape{7, 8}));
  const auto& all = full.text->train.ids.ids;
  EXPECT_TRUE(std::equal(all.begin(), all.begin() + 7 * 8, run::tensor_to_ids(ids, "t").ids.begin()));
  EXPECT_EQ(run::load_sentence_run(dir).test_sentences.size(), 3u);
  EXPECT_EQ(run::load_run(dir).model->input_shape(), (Shape{8, 4}));
}

TEST(SentenceRun, MissingOrInconsistentFilesAreClearErrors) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  const std::string dir = train_tiny(scratch, corpus, corpus.config(1));
  io::write_file_atomic(dir + "/test_sentences.txt", "only one line\n");
  EXPECT_THROW(run::load_sentence_run(dir), InputError);
  std::filesystem::remove(dir + "/vocab.txt");
  try {
    run::load_sentence_run(dir);
    ADD_FAILURE() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a sentence run"), std::string::npos) << e.what();
  }
}

TEST(SentenceEval, SampleRowsIsSeededAndDistinct) {
  const auto a = eval::sample_rows(100, 30, 7), b = eval::sample_rows(100, 30, 7), c = eval::sample_rows(100, 30, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(std::set<int64_t>(a.begin(), a.end()).size(), 30u);
  EXPECT_TRUE(std::all_of(a.begin(), a.end(), [](int64_t r) { return r >= 0 && r < 100; }));
  EXPECT_EQ(eval::sample_rows(5, 10, 1).size(), 5u);
}

TEST(SentenceEval, ReconstructionCosineMatchesADirectComputation) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  const std::string dir = train_tiny(scratch, corpus);
  run::LoadedRun run = run::load_run(dir);
  const run::SentenceRun s = run::load_sentence_run(dir);
  const std::vector<int64_t> rows = {2, 0, 1};
  const eval::ReconstructionCosine r = eval::reconstruction_cosine(*run.model, s.test_ids, s.table, rows);
  ASSERT_EQ(r.cosine.size(), 3u);
  EXPECT_EQ(r.decoded.rows, 3);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Tensor x = data::text::embed_ids(data::text::take_rows(s.test_ids, {rows[i]}), s.table);
    const Tensor y = run.model->reconstruct(x);
    const Tensor ex = run.model->encode(x);
    const Tensor ey = run.model->encode(y);
    EXPECT_NEAR(r.cosine[i], eval::cosine_similarity(ex.data(), ey.data(), ex.size()), 1e-5);
    EXPECT_LE(r.cosine[i], 1.0 + 1e-9);
    // Decoding picks the nearest table row of each output step.
    for (int64_t t = 0; t < 8; ++t) {
      const float* q = y.data() + t * 4;
      auto dist = [&](int32_t id) {
        double d = 0;
        for (int j = 0; j < 4; ++j) d += (q[j] - s.table[id * 4 + j]) * (q[j] - s.table[id * 4 + j]);
        return d;
      };
      const int32_t got = r.decoded.row(i)[t];
      for (int32_t id = 0; id < s.table.dim(0); ++id) EXPECT_LE(dist(got), dist(id) + 1e-5);
    }
  }
  EXPECT_LE(r.min, r.median);
  EXPECT_LE(r.median, r.max);
  EXPECT_NEAR(r.mean, (r.cosine[0] + r.cosine[1] + r.cosine[2]) / 3, 1e-12);
}

TEST(SentenceCli, TrainWritesTheCosineReportAndHistogram) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  io::write_file_atomic(scratch / "cfg.json", corpus.config().dump());
  const std::string dir = scratch / "run";
  CliResult r = run_aekit("train --quiet --config " + scratch / "cfg.json" + " --out " + dir, scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"cosine.csv", "cosine.txt", "cosine_hist.png", "loss_curve.png", "vocab.txt"})
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
  const std::string png = io::read_file(dir + "/cosine_hist.png");
  EXPECT_EQ(png.substr(1, 3), "PNG");
  const run::SentenceRun s = run::load_sentence_run(dir);
  // Fewer test sentences than 500: all of them, once each.
  const auto csv = lines(io::read_file(dir + "/cosine.csv"));
  EXPECT_EQ(static_cast<int64_t>(csv.size()), 1 + s.test_ids.rows);
  EXPECT_NE(r.out.find("mean "), std::string::npos) << r.out;
  EXPECT_NE(io::read_file(dir + "/cosine.txt").find("  out: "), std::string::npos);

  // The command again, with its own subset size and seed.
  CliResult again = run_aekit("sentences --run " + dir + " --n 3 --seed 9 --show 1", scratch);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(lines(io::read_file(dir + "/cosine.csv")).size(), 4u);
  const auto rows9 = eval::sample_rows(s.test_ids.rows, 3, 9);
  EXPECT_EQ(lines(io::read_file(dir + "/cosine.csv"))[1].substr(0, std::to_string(rows9[0]).size() + 1),
            std::to_string(rows9[0]) + ",");
}

TEST(SentenceCli, EmbedPrintsOneDeterministicVectorOfTheCodeSize) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  const std::string dir = train_tiny(scratch, corpus);
  const std::string args = "embed --run " + dir + " --text \"Oil prices rose 12 pct on Friday.\"";
  CliResult a = run_aekit(args, scratch), b = run_aekit(args, scratch);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  ASSERT_EQ(lines(a.out).size(), 1u);
  std::istringstream in(a.out);
  std::vector<double> v;
  for (double x; in >> x;) v.push_back(x);
  ASSERT_EQ(v.size(), 8u);  // the encoder's 8 units, merged by sum
  // The same vector as the library gives for the same ids ("friday" is UNK, "12" -> "9").
  run::LoadedRun run = run::load_run(dir);
  const run::SentenceRun s = run::load_sentence_run(dir);
  data::text::TokenIds q{1, 8, data::text::encode_sentence("Oil prices rose 12 pct on Friday.", s.vocab, s.options)};
  EXPECT_EQ(q.ids[7], s.vocab.id("."));
  const Tensor ref = eval::sentence_vectors(*run.model, q, s.table);
  for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], ref[i], 1e-5 * (1 + std::abs(ref[i])));
  CliResult tok = run_aekit("embed --tokens --run " + dir + " --text \"Gold fell on Friday.\"", scratch);
  EXPECT_NE(tok.out.find("tokens: gold fell on UNK ."), std::string::npos) << tok.out;
}

TEST(SentenceCli, SimilarRanksATestSentenceItselfFirst) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  const std::string dir = train_tiny(scratch, corpus);
  const run::SentenceRun s = run::load_sentence_run(dir);
  const int64_t k = s.test_ids.rows - 1, n = s.test_ids.rows;
  CliResult r = run_aekit("similar --run " + dir + " --top " + std::to_string(n) + " --text \"" +
                              s.test_sentences[k] + "\"",
                          scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(static_cast<int64_t>(out.size()), n + 1) << r.out;  // the query line and every test sentence
  EXPECT_EQ(out[1].rfind("1  1.0000  [test ", 0), 0u) << r.out;
  // The sentence itself (or a duplicate of its ids) scores 1 and is listed among the top scores.
  bool found = false;
  for (size_t i = 1; i < out.size(); ++i) {
    const int64_t row = std::stoll(out[i].substr(out[i].find("[test ") + 6));
    if (!std::equal(s.test_ids.row(row), s.test_ids.row(row) + 8, s.test_ids.row(k))) continue;
    EXPECT_NE(out[i].find("  1.0000  "), std::string::npos) << out[i];
    found = true;
    break;
  }
  EXPECT_TRUE(found) << r.out;

  // The second query reads the cached test vectors and ranks identically; a stale or wrong
  // cache (older than the weights) is recomputed, not used.
  ASSERT_TRUE(std::filesystem::exists(dir + "/test_vectors.npy"));
  CliResult again = run_aekit("similar --run " + dir + " --top " + std::to_string(n) + " --text \"" +
                                  s.test_sentences[k] + "\"",
                              scratch);
  EXPECT_EQ(again.out, r.out);
  io::save_npy(dir + "/test_vectors.npy", Tensor({n, 8}));  // all zeros: every score would be 0
  std::filesystem::last_write_time(dir + "/model.safetensors",
                                   std::filesystem::last_write_time(dir + "/test_vectors.npy") + std::chrono::seconds(1));
  CliResult stale = run_aekit("similar --run " + dir + " --top " + std::to_string(n) + " --text \"" +
                                  s.test_sentences[k] + "\"",
                              scratch);
  EXPECT_EQ(stale.out, r.out);
}

TEST(SentenceCli, EmbedOnANonSentenceRunIsAOneLineError) {
  ScratchDir scratch;
  const std::string dir = scratch / "image_run";
  std::filesystem::create_directories(dir);
  io::write_file_atomic(dir + "/config.json", "{}");
  for (const std::string cmd : {"embed", "similar"}) {
    CliResult r = run_aekit(cmd + " --run " + dir + " --text \"oil rose\"", scratch);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(dir + ": no vocab.txt; not a sentence run"), std::string::npos) << r.err;
  }
  CliResult r = run_aekit("sentences --run " + dir, scratch);
  EXPECT_EQ(r.code, 2);
}

TEST(SentenceCli, MalformedCorpusFailsTrainingWithFileAndLine) {
  ScratchDir scratch;
  TinySentenceCorpus corpus(scratch);
  io::write_file_atomic(corpus.dir + "/reut2-001.sgm", "<REUTERS>\n<BODY>Oil rose.</TITLE>\n</REUTERS>\n");
  io::write_file_atomic(scratch / "cfg.json", corpus.config().dump());
  CliResult r = run_aekit("train --quiet --config " + scratch / "cfg.json" + " --out " + scratch / "run", scratch);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(corpus.dir + "/reut2-001.sgm:2: "), std::string::npos) << r.err;
  io::write_file_atomic(corpus.dir + "/reut2-001.sgm", "");
  io::write_file_atomic(corpus.glove, "oil 1 0 0 0\nrose 0 1 0\n");
  r = run_aekit("train --quiet --config " + scratch / "cfg.json" + " --out " + scratch / "run", scratch);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(corpus.glove + ":2: expected 5 fields, found 4"), std::string::npos) << r.err;
}

}  // namespace
