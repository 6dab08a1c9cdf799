// Principal component analysis, the linear baseline for autoencoder codes.
//
// Each sample of x [N, ...] is flattened to a row of length D. The covariance is
//   C = (1 / (N - 1)) sum_n (x_n - mean)(x_n - mean)^T        (D x D, accumulated in double)
// and its top k eigenpairs come from LAPACK's dsyevr. explained_variance[i] is the i-th largest
// eigenvalue of C (the variance of the data along components row i, as scikit-learn reports it).
// Sign convention: each component's entry of largest magnitude is positive (the first such entry
// on ties), so the result does not depend on the LAPACK build.
#pragma once
#include <vector>

#include "tensor/tensor.h"

namespace aekit::eval {

struct Pca {
  Tensor mean;                              // [D]
  Tensor components;                        // [k, D]: rows are unit principal axes, by decreasing variance
  std::vector<double> explained_variance;  // [k]
};

// Needs N >= 2 and 1 <= k <= D.
Pca fit_pca(const Tensor& x, int k);

// Codes (x_n - mean) . components[i] of x [N, ...] (rows of length D): [N, k].
Tensor pca_transform(const Pca& pca, const Tensor& x);

}  // namespace aekit::eval
