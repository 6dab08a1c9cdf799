// Reconstruction quality of images against references (e.g. denoised or noisy vs clean).
//
// Inputs are [N, ...] tensors of equal shape, one image per row; sums run in double.
//   mse           mean over all elements of (a - b)^2
//   psnr          mean over images of the per-image PSNR, 10 log10(peak^2 / mse_i), the figure
//                 denoising papers usually report
//   psnr_of_set   10 log10(peak^2 / mse) with the MSE pooled over the whole set; it is <= psnr
//                 (Jensen), and the two differ most when some images are much worse than others
// An image identical to its reference has infinite PSNR, so psnr is then +inf as well.
#pragma once
#include <vector>

#include "tensor/tensor.h"

namespace aekit::eval {

double mse(const Tensor& a, const Tensor& b);
std::vector<double> psnr_per_image(const Tensor& a, const Tensor& b, double peak = 1.0);
double psnr(const Tensor& a, const Tensor& b, double peak = 1.0);
double psnr_of_set(const Tensor& a, const Tensor& b, double peak = 1.0);

}  // namespace aekit::eval
