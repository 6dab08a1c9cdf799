// k-nearest-neighbour classification of codes, the number that says how well a 2-D (or any)
// code separates the classes.
//
// Codes are rows [N, ...] (flattened per sample). Neighbours are the k training rows of smallest
// Euclidean distance, equal distances going to the lower training row. The prediction is the
// majority label among them; when several labels tie for the most votes, the tied label whose
// member is nearest wins. Exhaustive search in double over all training rows, parallel over test
// rows: 60000 training x 10000 test 2-D codes take about a second per core.
#pragma once
#include <vector>

#include "tensor/tensor.h"

namespace aekit::eval {

// Predicted label of every test row. Needs 1 <= k <= training rows and finite codes.
std::vector<int> knn_predict(const Tensor& train_codes, const std::vector<int>& train_labels,
                             const Tensor& test_codes, int k);

// Fraction of test rows whose prediction equals their label.
double knn_accuracy(const Tensor& train_codes, const std::vector<int>& train_labels, const Tensor& test_codes,
                    const std::vector<int>& test_labels, int k);

}  // namespace aekit::eval
