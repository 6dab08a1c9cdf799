// Cosine similarity and what the sentence autoencoder builds on it: comparing sentence vectors,
// ranking sentences against a query, and decoding output vectors to their nearest vocabulary
// words (cosine over the GloVe table).
// A zero vector has similarity 0 with everything (the cosine is undefined there).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::eval {

// cos(a, b) of two length-n vectors, accumulated in double.
double cosine_similarity(const float* a, const float* b, int64_t n);

// Row i: cos(a[i], b[i]) for a and b of the same shape [N, ...] (rows flattened).
std::vector<double> rowwise_cosine(const Tensor& a, const Tensor& b);

// The k rows of candidates [N, ...] most similar to query (length = row size), best first, as
// (row, similarity); ties keep the lower row first. k > N gives all N.
std::vector<std::pair<int64_t, double>> rank_by_cosine(const float* query, const Tensor& candidates,
                                                       int64_t k);

// For every row of queries [..., D] (all axes but the last flattened): the id of the most
// cosine-similar row of table [V, D], among the ids with allowed[id] != 0 (all when allowed is
// empty); ties go to the lower id, so a zero query gets the lowest allowed id. One matmul per
// block of queries against the normalised table.
std::vector<int32_t> nearest_rows(const Tensor& queries, const Tensor& table,
                                  const std::vector<uint8_t>& allowed = {});
// The same lookup by Euclidean distance: the id of the nearest row of table (ties: lower id).
std::vector<int32_t> nearest_rows_l2(const Tensor& queries, const Tensor& table);

}  // namespace aekit::eval
