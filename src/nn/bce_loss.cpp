// Binary cross-entropy on probabilities, clamped to [eps, 1-eps] with Keras's eps = 1e-7 so a
// saturated sigmoid output gives a large finite loss instead of inf. Inside the clamp the
// gradient is (p - t) / (p (1 - p)); where the clamp bites it is zero, as in Keras.
#include <cmath>

#include "nn/elementwise_loss.h"
#include "nn/losses.h"

namespace aekit::nn {
namespace {
struct Bce {
  static constexpr const char* name = "bce";
  static constexpr float eps = 1e-7f;
  static float value_grad(float p, float t, float& g) {
    float pc = p < eps ? eps : (p > 1.0f - eps ? 1.0f - eps : p);
    g = (p < eps || p > 1.0f - eps) ? 0.0f : (pc - t) / (pc * (1.0f - pc));
    return -(t * std::log(pc) + (1.0f - t) * std::log1p(-pc));
  }
  static void to_data_space(Tensor&) {}
};
}  // namespace

std::unique_ptr<Loss> make_bce(Reduction r, double scale) {
  return std::make_unique<ElementwiseLoss<Bce>>(r, scale);
}

}  // namespace aekit::nn
