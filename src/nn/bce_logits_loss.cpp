// Binary cross-entropy on logits z (the stable form PyTorch's BCEWithLogitsLoss uses):
//   l = max(z, 0) - z t + log(1 + exp(-|z|)),  dl/dz = sigmoid(z) - t.
// The network's output is a logit; to_data_space() turns it into a probability for pictures.
#include <cmath>

#include "nn/activation.h"
#include "nn/elementwise_loss.h"
#include "nn/losses.h"

namespace aekit::nn {
namespace {
struct BceLogits {
  static constexpr const char* name = "bce_logits";
  static float value_grad(float z, float t, float& g) {
    float e = std::exp(-std::fabs(z));
    float s = z >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
    g = s - t;
    return std::max(z, 0.0f) - z * t + std::log1p(e);
  }
  static void to_data_space(Tensor& out) { apply_act(Act::sigmoid, 0, out.data(), out.size()); }
};
}  // namespace

std::unique_ptr<Loss> make_bce_logits(Reduction r, double scale) {
  return std::make_unique<ElementwiseLoss<BceLogits>>(r, scale);
}

}  // namespace aekit::nn
