// Every shipped config parses and builds its model (the input shape its data would give), and
// every one whose encoder has no conv or LSTM layer can be frozen for one-sample encoding.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "models/autoencoder.h"
#include "models/frozen_encoder.h"
#include "support/fixtures.h"
#include "run/run_config.h"

using namespace aekit;

namespace {

Shape input_shape(const run::RunConfig& cfg) {
  const std::string kind = cfg.data.kind;
  if (cfg.data.is_image_folder()) return {cfg.data.channels, cfg.data.size[0], cfg.data.size[1]};
  return kind == "table"       ? Shape{static_cast<int64_t>(cfg.data.columns.size())}
         : kind == "shapes"    ? Shape{1, 64, 64}
         : kind == "sentences" ? Shape{cfg.data.seq_len, 50}
                               : Shape{1, 28, 28};
}

// f(path, config) for every shipped config, in a SCOPED_TRACE of its path; returns how many.
template <class F>
int for_each_config(F&& f) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(aekit::testing::source_path("configs"))) {
    if (e.path().extension() != ".json") continue;
    SCOPED_TRACE(e.path().string());
    f(run::load_run_config(e.path().string()));
    ++n;
  }
  return n;
}

}  // namespace

TEST(Configs, EveryShippedConfigBuildsItsModel) {
  const int n = for_each_config([](const run::RunConfig& cfg) {
    models::Autoencoder m(cfg.model, input_shape(cfg));
    EXPECT_GT(m.params().size(), 0u);
    EXPECT_FALSE(cfg.name.empty());
    EXPECT_TRUE(cfg.to_json().contains("description"));
  });
  EXPECT_GE(n, 10);
}

TEST(Configs, EveryDenseEncoderCanBeFrozen) {
  int frozen_count = 0;
  for_each_config([&](const run::RunConfig& cfg) {
    const Shape in = input_shape(cfg);
    models::Autoencoder m(cfg.model, in);
    bool dense = true;
    for (size_t i = 0; i < m.encoder().size(); ++i) {
      const std::string t = m.encoder().layer(i).type();
      dense = dense && t.find("conv") == std::string::npos && t != "lstm" && t != "bidirectional" &&
              t != "max_pool2d" && t != "upsampling2d";
    }
    EXPECT_EQ(models::FrozenEncoder::unsupported(m).empty(), dense) << models::FrozenEncoder::unsupported(m);
    if (!dense) return;
    Rng rng(cfg.train.seed);
    m.init(rng);
    models::FrozenEncoder frozen(m);
    Shape one = in;
    one.insert(one.begin(), 1);  // a batch of one
    Tensor x(one);
    for (float& v : x) v = rng.uniform() < 0.3 ? rng.uniform() : 0.0f;
    const Tensor want = m.encode(x);
    const float* got = frozen.encode(x.data());
    for (int64_t j = 0; j < frozen.code_size(); ++j) ASSERT_NEAR(got[j], want[j], 2e-5 * (1 + std::fabs(want[j]))) << j;
    ++frozen_count;
  });
  EXPECT_GE(frozen_count, 15);
}
