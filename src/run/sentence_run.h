// What a sentence run (data kind "sentences") keeps in its folder, so that embed, similar and the
// cosine evaluation work from the folder alone, without the corpus:
//   vocab.txt               id -> word, one per line in id order (line 1 PAD, line 2 UNK)
//   embeddings.safetensors  "embeddings" [vocab, dim]: the table the inputs were built from
//                           (PAD zeros, UNK and words without a GloVe vector the seeded UNK row)
//   test_sentences.txt      the run's test sentences (after data.test_limit), one per line
//   test_ids.npy            [n_test, seq_len] their word ids (float32, exact below 2^24)
//   train_ids.npy           [n_train, seq_len] ids of the training rows used (after train_limit),
//                           so other tools (bench/torch_lstm_sentences.py) train on the same data
// The test text is Reuters-derived: it stays in the user's run folder, never in the project.
// Sequence length and padding come from the run's config.json.
#pragma once
#include <string>
#include <vector>

#include "data/text/corpus.h"
#include "run/run_config.h"

namespace aekit::run {

struct SentenceRun {
  data::text::Vocabulary vocab;
  Tensor table;  // [vocab, dim]
  data::text::TokenIds test_ids;
  std::vector<std::string> test_sentences;
  data::text::SentenceOptions options;  // seq_len, padding, truncating of the run
};

bool is_sentence_run(const RunConfig& cfg);

// Writes the files above (each atomically) from the corpus the run trains on.
void save_sentence_run(const std::string& dir, const data::text::SentenceCorpus& corpus);

// InputError naming the folder when it holds no vocab.txt (not a sentence run) or when the files
// disagree with each other.
SentenceRun load_sentence_run(const std::string& dir);

// Ids -> float32 [rows, length] (the .npy layout above) and back.
Tensor ids_to_tensor(const data::text::TokenIds& ids);
data::text::TokenIds tensor_to_ids(const Tensor& t, const std::string& source);

}  // namespace aekit::run
