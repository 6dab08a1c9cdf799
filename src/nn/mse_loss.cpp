// Mean squared error element: (p - t)^2, gradient 2 (p - t).
#include "nn/elementwise_loss.h"
#include "nn/losses.h"

namespace aekit::nn {
namespace {
struct Mse {
  static constexpr const char* name = "mse";
  static float value_grad(float p, float t, float& g) {
    float d = p - t;
    g = 2.0f * d;
    return d * d;
  }
  static void to_data_space(Tensor&) {}
};
}  // namespace

std::unique_ptr<Loss> make_mse(Reduction r, double scale) {
  return std::make_unique<ElementwiseLoss<Mse>>(r, scale);
}

}  // namespace aekit::nn
