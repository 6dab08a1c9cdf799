// Library pieces the CLI once held: anomaly scores, the code walk, the codes CSV.
#include <gtest/gtest.h>

#include "eval/anomaly_score.h"
#include "eval/interpolation.h"
#include "io/atomic_file.h"
#include "io/tensor_csv.h"
#include "support/temp_dir.h"
#include "tensor/error.h"

namespace aekit {
namespace {

TEST(LinearWalk, EndsAtBothCodesInEvenSteps) {
  const Tensor a({1, 2}, {0, 10}), b({1, 2}, {4, -10});
  const Tensor z = eval::linear_walk(a, b, 5);
  ASSERT_EQ(z.shape(), (Shape{5, 2}));
  EXPECT_EQ(z[0], 0);
  EXPECT_EQ(z[1], 10);
  EXPECT_FLOAT_EQ(z[2 * 2], 2);
  EXPECT_FLOAT_EQ(z[2 * 2 + 1], 0);
  EXPECT_EQ(z[8], 4);
  EXPECT_EQ(z[9], -10);
  EXPECT_THROW(eval::linear_walk(a, b, 1), InputError);
}

TEST(AnomalyScores, MseAndRelativeMatchTheirDefinitions) {
  // An identity autoencoder that cannot reconstruct: one linear unit, zero weights -> output 0.
  models::Autoencoder m(nlohmann::json::parse(R"({"encoder": [{"type": "dense", "units": 1}],
      "decoder": [{"type": "dense", "units": 3}], "loss": {"type": "mse"}})"),
                        {3});
  const Tensor x({2, 3}, {1, 2, 2, 0, 0, 3});
  const std::vector<double> mse = eval::anomaly_scores(m, x, "mse"), rel = eval::anomaly_scores(m, x, "relative");
  EXPECT_NEAR(mse[0], 9.0 / 3, 1e-6);  // reconstruction 0: error = |x|^2
  EXPECT_NEAR(mse[1], 9.0 / 3, 1e-6);
  EXPECT_NEAR(rel[0], 1.0, 1e-6);
  EXPECT_NEAR(rel[1], 1.0, 1e-6);
  EXPECT_NEAR(eval::anomaly_scores(m, x, "loss")[0], 3.0, 1e-6);  // mse, mean over features
  EXPECT_THROW(eval::anomaly_scores(m, x, "maes"), InputError);
}

TEST(TensorCsv, HeaderThenOneRowPerSample) {
  testing::ScratchDir d;
  io::write_tensor_csv(d / "z.csv", Tensor({2, 2}, {0.5f, -1, 3, 1e-8f}));
  EXPECT_EQ(io::read_file(d / "z.csv"), "z0,z1\n0.5,-1\n3,1e-08\n");
}

}  // namespace
}  // namespace aekit
