// Users' own data end to end through the CLI: a folder of mixed-size PNG and JPEG files in class
// subfolders trains a colour conv VAE and is scored for anomalies; a corrupt image stops training
// (or is skipped and listed); arrays and a CSV by column names each train from a config.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../data/image_test_util.h"
#include "draw/png.h"
#include "io/atomic_file.h"
#include "io/npy.h"
#include "support/run_cli.h"

using namespace aekit;
using namespace aekit::testing;
using json = nlohmann::json;

namespace {

// A w x h RGB image of one tint with a little per-pixel variation.
std::vector<uint8_t> tinted(int w, int h, uint8_t r, uint8_t g, uint8_t b, int seed) {
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * 3);
  for (size_t i = 0; i < px.size(); i += 3) {
    const int v = static_cast<int>((i * 7 + seed * 13) % 31) - 15;
    px[i] = static_cast<uint8_t>(std::clamp(r + v, 0, 255));
    px[i + 1] = static_cast<uint8_t>(std::clamp(g + v, 0, 255));
    px[i + 2] = static_cast<uint8_t>(std::clamp(b + v, 0, 255));
  }
  return px;
}

// n images per class, alternating PNG and JPEG, sizes from 20x30 to 47x24.
void write_class(const std::string& dir, int n, uint8_t r, uint8_t g, uint8_t b) {
  std::filesystem::create_directories(dir);
  for (int i = 0; i < n; ++i) {
    const int w = 20 + (i * 9) % 28, h = 30 - (i * 5) % 7;
    const std::vector<uint8_t> px = tinted(w, h, r, g, b, i);
    if (i % 2)
      io::write_file_atomic(dir + "/" + std::to_string(i) + ".jpg", data::datatest::jpeg_bytes(w, h, 3, px));
    else
      io::write_file_atomic(dir + "/" + std::to_string(i) + ".png", data::datatest::png_rgb8(w, h, px));
  }
}

// A small colour conv VAE on 16x16x3 folders (the shape of configs/conv_vae_rgb64.json, smaller).
std::string write_folder_config(const ScratchDir& d, const std::string& folder) {
  const json cfg = {
      {"name", "tiny_rgb"},
      {"data", {{"path", folder}, {"size", {16, 16}}, {"channels", 3}, {"test_fraction", 0.25}, {"cache_dir", d / "cache"}}},
      {"model",
       {{"encoder",
         {{{"type", "conv2d"}, {"filters", 8}, {"kernel", 3}, {"stride", 2}, {"padding", "same"}, {"activation", "relu"}},
          {{"type", "flatten"}}}},
        {"vae", {{"latent", 4}}},
        {"decoder",
         {{{"type", "dense"}, {"units", 8 * 8 * 8}, {"activation", "relu"}},
          {{"type", "reshape"}, {"shape", {8, 8, 8}}},
          {{"type", "conv2d_transpose"}, {"filters", 3}, {"kernel", 3}, {"stride", 2}, {"padding", "same"},
           {"activation", "sigmoid"}}}},
        {"loss", {{"type", "bce"}}}}},
      {"train", {{"optimizer", {{"type", "adam"}}}, {"batch_size", 8}, {"epochs", 1}}}};
  const std::string path = d / "tiny_rgb.json";
  io::write_file_atomic(path, cfg.dump(2));
  return path;
}

int count_lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(CliOwnData, AnImageFolderTrainsAColourVaeAndIsScored) {
  ScratchDir d;
  const std::string folder = d / "photos";
  write_class(folder + "/cats", 12, 200, 80, 40);
  write_class(folder + "/dogs", 12, 40, 90, 200);
  const std::string cfg = write_folder_config(d, "unused");
  CliResult c = run_aekit("check --config " + cfg + " --data " + folder, d);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("folder: 18 train / 6 test files, 2 classes"), std::string::npos) << c.out;
  CliResult r = run_aekit("train --config " + cfg + " --data " + folder + " --quiet --out " + (d / "run"), d);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("classes (2, from the subfolder names): cats, dogs"), std::string::npos) << r.out;
  // The run folder records the files, classes and preprocessing.
  const json rec = json::parse(io::read_file(d / "run/images.json"));
  EXPECT_EQ(rec["classes"], json({"cats", "dogs"}));
  EXPECT_EQ(rec["train_files"].size() + rec["test_files"].size(), 24u);
  EXPECT_EQ(rec["test_files"].size(), 6u);
  EXPECT_EQ(rec["preprocess"]["channels"], 3);
  // Figures are in colour: the reddish cats and bluish dogs come out with distinct channels.
  const draw::Image recon = draw::read_png(d / "run/reconstructions.png");
  ASSERT_EQ(recon.channels, 3);
  int64_t tinted_pixels = 0;
  for (int y = 0; y < recon.height; ++y)
    for (int x = 0; x < recon.width; ++x) tinted_pixels += std::abs(recon.at(x, y)[0] - recon.at(x, y)[2]) > 60;
  EXPECT_GT(tinted_pixels, 16 * 16) << "reconstructions.png lost its colour";
  EXPECT_EQ(draw::read_png(d / "run/samples.png").channels, 3);

  const std::string inspect = d / "inspect";
  write_class(inspect + "/good", 4, 200, 80, 40);
  write_class(inspect + "/scratch", 3, 40, 90, 200);
  CliResult s = run_aekit("score --run " + (d / "run") + " --images " + inspect, d);
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("scored 7 images"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("roc_auc "), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("(4 normal in good/, 3 anomalous in the other classes)"), std::string::npos) << s.out;
  const std::string csv = io::read_file(d / "run/scores.csv");
  EXPECT_EQ(csv.rfind("file,class,score,flagged\n", 0), 0u);
  EXPECT_EQ(count_lines(csv), 8);
  EXPECT_NE(csv.find("/scratch/1.jpg,scratch,"), std::string::npos) << csv;
  int heatmaps = 0;
  for (const auto& e : std::filesystem::directory_iterator(d / "run/heatmaps")) {
    const draw::Image h = draw::read_png(e.path().string());
    EXPECT_EQ(h.width, 3 * 16 * 2 + 4 * 4);  // input | reconstruction | heatmap at scale 2
    ++heatmaps;
  }
  EXPECT_EQ(heatmaps, 7);
  // A colour image file encoded and reconstructed on its own.
  CliResult p = run_aekit("predict --run " + (d / "run") + " --image " + inspect + "/scratch/1.jpg --out " + (d / "p.png"), d);
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(draw::read_png(d / "p.png").channels, 3);
}

TEST(CliOwnData, ACorruptImageStopsTrainingOrIsSkippedAndListed) {
  ScratchDir d;
  const std::string folder = d / "photos";
  write_class(folder + "/a", 8, 200, 80, 40);
  const std::string good = data::datatest::jpeg_bytes(20, 20, 3, tinted(20, 20, 1, 2, 3, 0));
  io::write_file_atomic(folder + "/a/truncated.jpg", good.substr(0, good.size() / 2));
  const std::string cfg = write_folder_config(d, folder);
  CliResult r = run_aekit("train --config " + cfg + " --quiet --no-figures --out " + (d / "run"), d);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(folder + "/a/truncated.jpg"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "run/model.safetensors"));

  CliResult k = run_aekit("train --config " + cfg + " --skip-bad --quiet --no-figures --out " + (d / "run"), d);
  ASSERT_EQ(k.code, 0) << k.err;
  EXPECT_NE(k.err.find("skipped 1 bad file(s)"), std::string::npos) << k.err;
  const json rec = json::parse(io::read_file(d / "run/images.json"));
  ASSERT_EQ(rec["skipped"].size(), 1u);
  EXPECT_NE(rec["skipped"][0].get<std::string>().find("truncated.jpg"), std::string::npos);

  CliResult idx = run_aekit("train --config " + cfg + " --data " + folder + "/a/0.png --skip-bad --out " + (d / "r2"), d);
  EXPECT_EQ(idx.code, 2) << idx.err;
}

TEST(CliOwnData, AFolderRunResumesBitIdentically) {
  // The cache is read through the prefetch thread in the epoch's seeded order: one epoch plus a
  // resumed one must end with the same weights as two epochs straight.
  ScratchDir d;
  const std::string folder = d / "photos";
  write_class(folder + "/a", 10, 200, 80, 40);
  write_class(folder + "/b", 10, 40, 90, 200);
  const std::string cfg = write_folder_config(d, folder);
  ASSERT_EQ(run_aekit("train --config " + cfg + " --epochs 2 --quiet --no-figures --out " + (d / "straight"), d).code, 0);
  ASSERT_EQ(run_aekit("train --config " + cfg + " --epochs 1 --quiet --no-figures --out " + (d / "resumed"), d).code, 0);
  CliResult r = run_aekit("train --resume " + (d / "resumed") + " --epochs 2 --quiet --no-figures", d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(io::read_file(d / "straight/model.safetensors"), io::read_file(d / "resumed/model.safetensors"));
}

json dense_model(int features) {
  return {{"encoder", {{{"type", "dense"}, {"units", 2}, {"activation", "relu"}}}},
          {"decoder", {{{"type", "dense"}, {"units", features}}}},
          {"loss", {{"type", "mse"}}}};
}

TEST(CliOwnData, ArraysTrainFromAConfig) {
  ScratchDir d;
  Tensor x({40, 6});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 11) / 11.0f;
  io::save_npy(d / "x.npy", x);
  const json cfg = {{"name", "arrays"},
                    {"data", {{"kind", "arrays"}, {"path", d / "x.npy"}, {"test_fraction", 0.25}, {"seed", 3}}},
                    {"model", dense_model(6)},
                    {"train", {{"optimizer", {{"type", "adam"}}}, {"batch_size", 8}, {"epochs", 2}}}};
  io::write_file_atomic(d / "arrays.json", cfg.dump());
  CliResult r = run_aekit("train --config " + (d / "arrays.json") + " --quiet --no-figures --out " + (d / "run"), d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("30 train / 10 test samples"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(d / "run/model.safetensors"));
}

TEST(CliOwnData, ACsvTrainsByColumnNamesWithAStatedMissingPolicy) {
  ScratchDir d;
  std::string csv = "age,chol,noise,target\n";
  for (int i = 0; i < 30; ++i)
    csv += std::to_string(30 + i) + "," + (i == 7 ? std::string("") : std::to_string(200 + 3 * i)) + ",1," +
           std::to_string(i % 2) + "\n";
  io::write_file_atomic(d / "t.csv", csv);
  json cfg = {{"name", "table"},
              {"data",
               {{"kind", "table"}, {"dataset", d / "t.csv"}, {"columns", {"age", "chol"}}, {"label_column", "target"},
                {"standardize", true}}},
              {"model", dense_model(2)},
              {"train", {{"optimizer", {{"type", "adam"}}}, {"batch_size", 8}, {"epochs", 1}}}};
  io::write_file_atomic(d / "table.json", cfg.dump());
  CliResult r = run_aekit("train --config " + (d / "table.json") + " --quiet --no-figures --out " + (d / "run"), d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 row(s) with missing values dropped"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("29 train / 29 test samples"), std::string::npos) << r.out;

  cfg["data"]["missing"] = "reject";
  io::write_file_atomic(d / "reject.json", cfg.dump());
  CliResult j = run_aekit("train --config " + (d / "reject.json") + " --quiet --no-figures --out " + (d / "r2"), d);
  EXPECT_EQ(j.code, 2);
  EXPECT_NE(j.err.find(d / "t.csv"), std::string::npos) << j.err;
  EXPECT_NE(j.err.find("missing value in 'chol'"), std::string::npos) << j.err;

  cfg["data"]["columns"] = {"age", "cholesterol"};
  io::write_file_atomic(d / "typo.json", cfg.dump());
  CliResult t = run_aekit("check --config " + (d / "typo.json"), d);
  EXPECT_EQ(t.code, 2);
  EXPECT_NE(t.err.find("no column 'cholesterol'"), std::string::npos) << t.err;
}

}  // namespace
