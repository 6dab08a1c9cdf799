// The pictures of a run folder, made from what the folder holds (config.json, model weights,
// metrics.csv) and the run's test data, so they can be remade any time; aekit train and demo call it at the end:
//   loss_curve.png       train and validation loss per epoch
//   reconstructions.png  the first 10 test images above their reconstructions
//   samples.png          VAE: 64 decodes of z ~ N(0, I)
//   traversal.png        VAE (<= 16 latents): each latent swept over [-3, 3], others fixed
//   latent_scatter.png   2-D codes: the test set's codes coloured by label
//   denoising.png/.txt   denoising runs: noisy / denoised / clean, PSNR before and after
//   latent_grid.png      2-D codes: decodes of a 20 x 20 grid over the codes' range
//   cosine.*             sentence runs: the chapter's cosine evaluation (sentence_report.h);
//                        they get only this and loss_curve.png, made from the folder alone
//   report.txt           tables: the first row and its reconstruction, and (VAE) 10 rows
//                        generated from z ~ U[-2, 2], all in the data's original units
#pragma once
#include <string>
#include <vector>

#include "draw/figure.h"
#include "models/autoencoder.h"
#include "tensor/tensor.h"
#include "run/run_data.h"

namespace aekit::report {

// Returns the paths written.
std::vector<std::string> write_run_figures(const std::string& run_dir, const std::string& data_override = "");

// Denoising runs: DIR/denoising.png (noisy / denoised / clean rows) and DIR/denoising.txt (MSE
// and PSNR of the noisy and the denoised test images against the clean ones; printed too).
std::string write_denoising_report(const std::string& dir, models::Autoencoder& model, const run::RunData& data);

// Writes DIR/report.txt (and prints it); returns its path.
std::string write_table_report(const std::string& dir, models::Autoencoder& model, const run::RunData& data);

// Train and validation loss per epoch from a metrics.csv; write_loss_curve writes it (.png,
// .svg or .pdf by the path's extension).
draw::Figure loss_curve_figure(const std::string& metrics_csv, const std::string& title);
void write_loss_curve(const std::string& path, const std::string& metrics_csv, const std::string& title);
// x: originals [N, ...image], y: reconstructions of the same shape.
void write_reconstructions(const std::string& path, const Tensor& x, const Tensor& y);

}  // namespace aekit::report
