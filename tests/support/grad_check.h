// The one finite-difference gradient checker every layer and loss goes through.
//
// Layers: with a fixed random weighting w, L(x, params) = sum(forward(x) * w) + penalty. The
// analytic dL/dx and dL/dparam from backward(w) are compared with central differences
// (L(v + eps) - L(v - eps)) / 2 eps, evaluated in double from the float forward passes, at every
// input element and every parameter element (test inputs are small).
// Losses: d(loss)/d(pred) from forward() against central differences of forward()'s value.
#pragma once
#include <gtest/gtest.h>

#include "nn/layer.h"
#include "nn/loss.h"

namespace aekit::testing {

struct GradTolerance {
  double eps = 1e-2;   // finite-difference step
  double rtol = 2e-2;  // relative to the larger magnitude
  double atol = 2e-3;
};

::testing::AssertionResult check_layer_gradients(nn::Layer& layer, const Tensor& x, uint64_t seed,
                                                 GradTolerance tol = {}, nn::Mode mode = nn::Mode::train);
::testing::AssertionResult check_loss_gradients(nn::Loss& loss, const Tensor& pred, const Tensor& target,
                                                GradTolerance tol = {});

// Normal(0, scale) tensor from a seed, with values kept at least `gap` away from zero (kinks).
Tensor random_tensor(const Shape& s, uint64_t seed, float scale = 1.0f, float gap = 0.0f);

}  // namespace aekit::testing
