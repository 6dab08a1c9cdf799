// The sentence autoencoder's report (source chapter 002), from a run folder alone:
//   cosine.csv        test_row,cosine for each evaluated sentence, in evaluation order
//   cosine.txt        the first 10 similarities, mean / median / min / max, and a few input
//                     sentences next to their reconstructions decoded to the nearest words
//   cosine_hist.png   histogram of the similarities
// The text is also printed.
#pragma once
#include <string>
#include <vector>

#include "models/autoencoder.h"
#include "run/sentence_run.h"

namespace aekit::report {

struct SentenceReportOptions {
  int64_t n = 500;      // sentences evaluated: a seeded random subset of the run's test split
  uint64_t seed = 0;    // the subset's draw
  int64_t show = 5;     // reconstructed sentences shown
};

// Returns the paths written.
std::vector<std::string> write_sentence_report(const std::string& dir, models::Autoencoder& model,
                                               const run::SentenceRun& run, const SentenceReportOptions& opt = {});

}  // namespace aekit::report
