#include "eval/image_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tensor/error.h"

namespace aekit::eval {
namespace {

// Two 1x2x2 images off by 0.1 and by 0.01 everywhere: per-image MSE 1e-2 and 1e-4.
struct Pair {
  Tensor clean{Shape{2, 1, 2, 2}}, noisy{Shape{2, 1, 2, 2}};
  explicit Pair(float scale = 1) {
    for (int64_t i = 0; i < 8; ++i) {
      clean[i] = 0.5f * scale;
      noisy[i] = (0.5f + (i < 4 ? 0.1f : -0.01f)) * scale;
    }
  }
};

TEST(ImageMetrics, MseAndBothPsnrs) {
  const Pair p;
  EXPECT_NEAR(mse(p.noisy, p.clean), (1e-2 + 1e-4) / 2, 1e-8);
  const std::vector<double> each = psnr_per_image(p.noisy, p.clean);
  ASSERT_EQ(each.size(), 2u);
  EXPECT_NEAR(each[0], 20, 1e-4);
  EXPECT_NEAR(each[1], 40, 1e-3);
  EXPECT_NEAR(psnr(p.noisy, p.clean), 30, 1e-3);                                   // mean of 20 and 40
  EXPECT_NEAR(psnr_of_set(p.noisy, p.clean), 10 * std::log10(2 / (1e-2 + 1e-4)), 1e-4);  // ~22.97
  EXPECT_LT(psnr_of_set(p.noisy, p.clean), psnr(p.noisy, p.clean));
}

TEST(ImageMetrics, PeakScalesWithTheData) {
  const Pair p(255);
  EXPECT_NEAR(psnr(p.noisy, p.clean, 255), 30, 1e-3);
  EXPECT_NEAR(psnr_of_set(p.noisy, p.clean, 255), psnr_of_set(Pair().noisy, Pair().clean), 1e-4);
}

TEST(ImageMetrics, IdenticalImagesHaveInfinitePsnr) {
  const Pair p;
  EXPECT_EQ(mse(p.clean, p.clean), 0.0);
  EXPECT_TRUE(std::isinf(psnr(p.clean, p.clean)));
  EXPECT_TRUE(std::isinf(psnr_of_set(p.clean, p.clean)));
}

TEST(ImageMetrics, RejectsBadInput) {
  const Pair p;
  EXPECT_THROW(mse(p.clean, Tensor({2, 4})), InputError);
  EXPECT_THROW(psnr(p.clean, p.noisy, 0), InputError);
  EXPECT_THROW(psnr(Tensor({0, 4}), Tensor({0, 4})), InputError);
}

}  // namespace
}  // namespace aekit::eval
