// Every shipped config parses and builds its model (the input shape its data would give).
#include <gtest/gtest.h>

#include <filesystem>

#include "models/autoencoder.h"
#include "support/fixtures.h"
#include "train/run_config.h"

using namespace aekit;

TEST(Configs, EveryShippedConfigBuildsItsModel) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(aekit::testing::source_path("configs"))) {
    if (e.path().extension() != ".json") continue;
    SCOPED_TRACE(e.path().string());
    train::RunConfig cfg = train::load_run_config(e.path().string());
    const std::string kind = cfg.data.value("kind", "images");
    const Shape in = kind == "table"    ? Shape{static_cast<int64_t>(cfg.data["columns"].size())}
                     : kind == "shapes" ? Shape{1, 64, 64}
                     : kind == "sentences" ? Shape{cfg.data.value("seq_len", int64_t{50}), 50}
                                        : Shape{1, 28, 28};
    models::Autoencoder m(cfg.model, in);
    EXPECT_GT(m.params().size(), 0u);
    EXPECT_FALSE(cfg.name.empty());
    EXPECT_TRUE(cfg.json.contains("description"));
    ++n;
  }
  EXPECT_GE(n, 10);
}
