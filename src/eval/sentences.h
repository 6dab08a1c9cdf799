// The sentence autoencoder's evaluation (source chapter 002): sentence vectors, their cosine
// similarity before and after the autoencoder, and output vectors decoded back to words.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/text/sequences.h"
#include "data/text/vocabulary.h"
#include "models/autoencoder.h"

namespace aekit::eval {

// [rows, code] encoder outputs (the sentence vectors) of id rows embedded with table.
Tensor sentence_vectors(models::Autoencoder& model, const data::text::TokenIds& ids, const Tensor& table,
                        int64_t batch = 128);

// n distinct rows of 0..total-1 (all when n >= total), drawn from Rng(seed), in draw order.
std::vector<int64_t> sample_rows(int64_t total, int64_t n, uint64_t seed);

struct ReconstructionCosine {
  std::vector<int64_t> rows;   // the evaluated rows of ids, in evaluation order
  std::vector<double> cosine;  // cos(encoder(x), encoder(autoencoder(x))) of each row
  data::text::TokenIds decoded;  // autoencoder(x) decoded step by step to the nearest word (L2)
  double mean = 0, median = 0, min = 0, max = 0;
};

// The chapter's check: x = the embedded row, y = autoencoder(x); compares the sentence vectors
// of x and y. Words are decoded by L2 distance, so a near-zero output step reads as PAD.
ReconstructionCosine reconstruction_cosine(models::Autoencoder& model, const data::text::TokenIds& ids,
                                           const Tensor& table, const std::vector<int64_t>& rows,
                                           int64_t batch = 128);

// The words of one id row, PAD dropped, separated by spaces.
std::string ids_to_text(const int32_t* ids, int64_t length, const data::text::Vocabulary& vocab);

}  // namespace aekit::eval
