// A tiny invented Reuters-style corpus (SGML) and a 4-d GloVe file in a scratch folder, and a
// small sentence-run config over them, so sentence tests never need ../shared.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "io/atomic_file.h"
#include "support/temp_dir.h"

namespace aekit::testing {

struct TinySentenceCorpus {
  std::string dir, glove;

  explicit TinySentenceCorpus(const ScratchDir& scratch) : dir(scratch / "reuters"), glove(scratch / "glove.txt") {
    std::filesystem::create_directories(dir);
    const char* subjects[] = {"Oil prices", "Gold", "Zinc output", "The dollar", "Wheat exports", "Bank shares"};
    const char* verbs[] = {"rose", "fell", "climbed", "eased"};
    const char* tails[] = {"on Monday.", "after the report.", "in early trade.", "on strong demand.", "5 pct."};
    std::string sgml = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n";
    int n = 0;
    for (int s = 0; s < 6; ++s) {
      std::string body;
      for (int k = 0; k < 5; ++k, ++n)
        body += std::string(subjects[(s + k) % 6]) + " " + verbs[(s * 3 + k) % 4] + " " + tails[(s + 2 * k) % 5] + " ";
      sgml += "<REUTERS NEWID=\"" + std::to_string(s + 1) + "\">\n<TEXT>&#2;\n<TITLE>" + subjects[s] +
              " NEWS</TITLE>\n<BODY>" + body + "\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n";
    }
    io::write_file_atomic(dir + "/reut2-000.sgm", sgml);
    io::write_file_atomic(glove,
                          "oil 1 0 0 0\nrose 0 1 0 0\nfell 0 -1 0 0\n9 0 0 1 0\n. 0 0 0 1\ngold -1 0 0.5 0\n"
                          "prices 0.5 0.5 0 0\non 0 0 -1 0.2\nzinc 0.3 -0.2 0.1 0.9\n");
  }

  // All 28 words fit in the vocabulary; words outside the corpus ("friday") are UNK.
  // BiLSTM(8, sum) -> RepeatVector(8) -> BiLSTM(4, sequences, sum): the chapter's model, shrunk.
  nlohmann::json config(int epochs = 2) const {
    nlohmann::json j = nlohmann::json::parse(R"({
      "name": "tiny_sentences",
      "data": {"kind": "sentences", "seq_len": 8, "vocab_size": 40, "embed_dim": 4, "seed": 5},
      "model": {
        "encoder": [{"type": "bidirectional", "merge": "sum", "layer": {"type": "lstm", "units": 8}}],
        "decoder": [{"type": "repeat_vector", "n": 8},
                    {"type": "bidirectional", "merge": "sum",
                     "layer": {"type": "lstm", "units": 4, "return_sequences": true}}],
        "loss": {"type": "mse", "reduction": "mean"}, "init": "keras"},
      "train": {"optimizer": {"type": "adam", "lr": 0.01}, "batch_size": 4, "epochs": 2, "seed": 3}
    })");
    j["data"]["dataset"] = dir;
    j["data"]["glove"] = glove;
    j["train"]["epochs"] = epochs;
    return j;
  }
};

}  // namespace aekit::testing
