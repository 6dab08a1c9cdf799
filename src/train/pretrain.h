// Greedy layer-wise pretraining of a stacked autoencoder (chapter 002, fig 8.1; Hinton &
// Salakhutdinov 2006): for i = 0, 1, ...: train the one-hidden-layer autoencoder
// h_i -> encoder layer i -> mirrored decoder layer -> h_i on the codes h_i of the layers below
// (h_0 = the data), copy its two layers into the stack, and move on to h_{i+1}. Fine-tuning the
// whole stack end to end is then ordinary training.
//
// The model's encoder and decoder must be mirrored stacks of dense layers: decoder layer
// (k-1-i) maps encoder layer i's output back to its input size. Each level trains with the run's
// optimizer settings, loss (MSE on inner levels, the run's loss on the outermost), batch size,
// and "pretrain": {"epochs": N} epochs.
#pragma once
#include "models/autoencoder.h"
#include "run/run_config.h"

namespace aekit::train {

// x: the training split [N, ...]; taken by value because level 1 trains on it flattened, so a
// caller with a temporary (the split converted from its pixel bytes) does not pay a second copy.
void pretrain_greedy(models::Autoencoder& model, const run::RunConfig& cfg, Tensor x, int epochs);

}  // namespace aekit::train
