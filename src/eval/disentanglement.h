// Disentanglement scores of an encoder on the synthetic shapes (data/shapes.h), whose five
// generative factors (shape, scale, rotation, x, y) are known.
//
// beta-VAE metric (Higgins et al. 2017): each point picks a factor k uniformly, draws L pairs of
// factor vectors that agree on factor k only by construction (all other factors drawn
// independently), encodes both images of every pair and takes z_diff = mean over the pairs of
// |z1 - z2|. A linear classifier (multinomial logistic regression, full-batch gradient descent on
// inputs standardised with the training points' mean and deviation) learns k from z_diff on
// n_train points; the score is its accuracy on n_test fresh points. Chance is 0.2; an encoder
// that keeps each factor in its own latents scores near 1. (The paper uses L = 64.)
//
// MIG, the mutual information gap (Chen et al. 2018), as disentanglement_lib computes it: each
// latent is cut into 20 equal-width bins between its minimum and maximum; I(z_j; v_k) is the
// empirical mutual information of the binned latent and factor k (nats); for every factor, the
// gap between its two most informative latents is divided by the factor's entropy H(v_k), and the
// gaps are averaged over the five factors. Range [0, 1]; independent noise scores ~0.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "data/shapes.h"
#include "tensor/tensor.h"

namespace aekit::eval {

// Maps images [n, 1, 64, 64] to codes [n, latent] (a VAE's posterior means). Called with up to
// ~2048 images at a time.
using ShapesEncoder = std::function<Tensor(const Tensor& images)>;

// Needs n_train, n_test, L >= 1. Deterministic for a seed (given a deterministic encoder).
double beta_vae_metric(const ShapesEncoder& encode, uint64_t seed, int n_train, int n_test, int L);

// codes [N, latent >= 2] of images with the given factors; every factor must vary in the sample.
double mig(const Tensor& codes, const std::vector<data::ShapesFactors>& factors);

}  // namespace aekit::eval
