// Pictures of a model's latent space (any autoencoder; the grid and scatter need 2-D codes).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "models/autoencoder.h"
#include "draw/plot.h"

namespace aekit::report {

struct LatentBox {
  draw::Range x{-3, 3}, y{-3, 3};
};

// The box a grid should cover: [-3, 3]^2 for a VAE (the prior's bulk), else the codes' observed
// range on x (1st to 99th percentile, so a few outliers do not shrink the digits to a corner).
LatentBox latent_range(models::Autoencoder& model, const Tensor& x);

// rows x cols decodes of z ~ N(0, I) (seeded).
void write_prior_samples(const std::string& path, models::Autoencoder& model, int rows, int cols, uint64_t seed);
// Codes of x coloured by label (legend: class_names[label] when given); zoom limits the axes
// (chapter 003's zoomed scatter); a VAE gets the unit-standard-deviation circle. A code wider
// than 2 is projected on its first two principal components (PCA of these codes), and the
// title says so with the share of the variance they keep.
void write_latent_scatter(const std::string& path, models::Autoencoder& model, const Tensor& x,
                          const std::vector<int>& labels, const std::optional<LatentBox>& zoom,
                          const std::vector<std::string>& class_names = {});
// n x n decodes over the box; rows go from high y (top) to low y, as a plot's axes do.
void write_latent_grid(const std::string& path, models::Autoencoder& model, int n, const LatentBox& box);

// Latent traversal (beta-VAE figure): row j sweeps latent j over [-range, range] in `steps`
// steps while the other latents stay at the code of `x` (one input).
void write_latent_traversal(const std::string& path, models::Autoencoder& model, const Tensor& x, int steps,
                            double range);

}  // namespace aekit::report
