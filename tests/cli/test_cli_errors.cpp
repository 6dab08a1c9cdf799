// Bad input on the command line: one clear line on stderr naming the file and the problem,
// exit code 2, and no crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "io/atomic_file.h"
#include "support/fixtures.h"
#include "support/run_cli.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

void write(const std::string& path, const std::string& text) { io::write_file_atomic(path, text); }

std::string vanilla_with(const std::string& from, const std::string& to) {
  std::string s = io::read_file(source_path("configs/vanilla_mnist.json"));
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

void expect_one_line_error(const CliResult& r, const std::string& needle) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST(Cli, HelpExitsZero) {
  ScratchDir d;
  CliResult r = run_aekit("--help", d);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("train"), std::string::npos);
}

TEST(Cli, UnknownOptionIsUsageError) {
  ScratchDir d;
  EXPECT_EQ(run_aekit("train --frobnicate", d).code, 2);
}

TEST(Cli, MalformedConfig) {
  ScratchDir d;
  write(d / "bad.json", "{\"name\": \"x\", \"data\": {");
  expect_one_line_error(run_aekit("train --config " + (d / "bad.json") + " --out " + (d / "run"), d),
                        d / "bad.json" + ": not valid JSON");
}

TEST(Cli, UnknownLayerName) {
  ScratchDir d;
  write(d / "c.json", vanilla_with("\"type\": \"dense\", \"units\": 128", "\"type\": \"dnse\", \"units\": 128"));
  CliResult r = run_aekit("train --config " + (d / "c.json") + " --data " + source_path("data/mnist") +
                              " --out " + (d / "run"),
                          d);
  expect_one_line_error(r, "c.json: model.encoder[0].type: unknown layer type \"dnse\" (did you mean \"dense\"?)");
}

// The typos of issue 14, each once trained silently with exit 0: now exit 2 before any data is
// read, naming the file, the path and the key meant.
TEST(Cli, ConfigTyposAndBadValuesAreRefusedBeforeTraining) {
  const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> cases{
      {{"\"activation\": \"relu\"", "\"activaton\": \"relu\""},
       "model.encoder[0]: unknown key \"activaton\" for dense (did you mean \"activation\"?)"},
      {{"\"lr\"", "\"learning_rate\""}, "train.optimizer: unknown key \"learning_rate\" for adam (did you mean \"lr\"?)"},
      {{"\"reduction\"", "\"reductoin\""}, "model.loss: unknown key \"reductoin\" for loss (did you mean \"reduction\"?)"},
      {{"\"batch_size\": 256", "\"batch_size\": \"256\""}, "train.batch_size: expected an integer, got string \"256\""},
      {{"\"epochs\": 50", "\"epochs\": 2.7"}, "train.epochs: expected an integer, got 2.7"},
      {{"\"seed\": 0", "\"seed\": -1"}, "train.seed: -1 is out of range (allowed: >= 0)"},
      {{"\"units\": 128", "\"units\": 1e9"}, "model.encoder[0].units: 1000000000.0 is out of range"},
  };
  for (const auto& [edit, needle] : cases) {
    SCOPED_TRACE(needle);
    ScratchDir d;
    write(d / "c.json", vanilla_with(edit.first, edit.second));
    // --data points nowhere: the config error must come first, before any data is touched.
    CliResult r = run_aekit("train --config " + (d / "c.json") + " --data " + (d / "no-data") + " --out " + (d / "run"), d);
    expect_one_line_error(r, d / "c.json: " + needle);
  }
}

TEST(Cli, TypoInConfigKey) {
  ScratchDir d;
  write(d / "c.json", vanilla_with("\"batch_size\"", "\"batchsize\""));
  expect_one_line_error(run_aekit("train --config " + (d / "c.json") + " --out " + (d / "run"), d),
                        "unknown key \"batchsize\"");
}

TEST(Cli, MissingDataPath) {
  ScratchDir d;
  CliResult r = run_aekit("train --config " + source_path("configs/vanilla_mnist.json") + " --data " +
                              (d / "nowhere") + " --out " + (d / "run"),
                          d);
  expect_one_line_error(r, d / "nowhere");
  EXPECT_FALSE(std::filesystem::exists(d / "run"));  // nothing written before the data is read
}

TEST(Cli, CorruptIdxFile) {
  ScratchDir d;
  std::filesystem::create_directories(d / "data");
  for (const char* f : {"train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
    std::filesystem::copy_file(source_path(std::string("data/mnist/") + f), d / (std::string("data/") + f));
  // Real header, payload cut short.
  std::string head("\x00\x00\x08\x03\x00\x00\xea\x60\x00\x00\x00\x1c\x00\x00\x00\x1c", 16);
  write(d / "data/train-images-idx3-ubyte", head + std::string(1000, '\0'));
  CliResult r = run_aekit("train --config " + source_path("configs/vanilla_mnist.json") + " --data " +
                              (d / "data") + " --out " + (d / "run"),
                          d);
  expect_one_line_error(r, d / "data/train-images-idx3-ubyte");
}

TEST(Cli, EvalOfMissingRun) {
  ScratchDir d;
  expect_one_line_error(run_aekit("eval --run " + (d / "none"), d), d / "none");
}

// aekit check: the summary of a valid config, exit 0; the same errors as train, exit 2.
TEST(Cli, CheckPrintsTheModelSummary) {
  ScratchDir d;
  CliResult r = run_aekit("check --config " + source_path("configs/vae_mnist.json"), d);
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* needle : {"model.encoder[0]       dense              [400]                  314000",
                             "model.vae              mu, log-variance   2 x [20]                16040",
                             "total: 652824 trainable parameters", "loss bce: per sample = sum over 784 features",
                             "KL summed over 20 latent dims", "memory to train (estimate)", "config OK"})
    EXPECT_NE(r.out.find(needle), std::string::npos) << needle << "\n" << r.out;
  write(d / "c.json", vanilla_with("\"activation\": \"relu\"", "\"activaton\": \"relu\""));
  expect_one_line_error(run_aekit("check --config " + (d / "c.json"), d), d / "c.json: model.encoder[0]: unknown key");
}

// A model too large for the machine is refused with the estimate, before any allocation.
TEST(Cli, ModelsThatCannotFitAreRefusedWithTheirSize) {
  ScratchDir d;
  write(d / "units.json", vanilla_with("\"units\": 128", "\"units\": 16000000"));
  expect_one_line_error(run_aekit("train --config " + (d / "units.json") + " --out " + (d / "run"), d),
                        d / "units.json: model.encoder[0] (dense, input [1,28,28]): a [16000000,784] tensor needs 50.2 GB");
  write(d / "batch.json", vanilla_with("\"batch_size\": 256", "\"batch_size\": 16000000"));
  expect_one_line_error(run_aekit("check --config " + (d / "batch.json"), d),
                        d / "batch.json: the model needs about");
  EXPECT_FALSE(std::filesystem::exists(d / "run"));
}

// Shape errors and an unwritable output folder show before the data is loaded (a wrong --data
// would otherwise be the first complaint), and nothing is written.
TEST(Cli, ModelAndFolderAreCheckedBeforeTheData) {
  ScratchDir d;
  write(d / "shape.json", vanilla_with("\"units\": 784", "\"units\": 700"));
  expect_one_line_error(run_aekit("train --config " + (d / "shape.json") + " --out " + (d / "run"), d),
                        "model: decoder output [700] has 700 values per sample, the input [1,28,28] has 784");
  EXPECT_FALSE(std::filesystem::exists(d / "run"));
  std::filesystem::create_directories(d / "ro");
  std::filesystem::permissions(d / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  if (::geteuid() != 0) {  // root writes anywhere
    expect_one_line_error(run_aekit("train --config " + source_path("configs/vanilla_mnist.json") + " --out " + (d / "ro"), d),
                          d / "ro: cannot write to this folder");
  }
}

}  // namespace

