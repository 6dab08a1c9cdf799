// mpirun -np 2 / 4 aekit train: every rank ends with the same parameters, N ranks at batch b
// train the model one process trains at N b, resume is exact (tests run as root and as a user:
// the OMPI_ALLOW_RUN_AS_ROOT variables are harmless for a user).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "support/fixtures.h"
#include "support/run_cli.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// A small dense VAE (sum-reduced BCE, the case where the loss scale matters) and a conv model
// with batch norm; batch_size is per rank.
std::string vae_config(int batch) {
  return R"({"name": "dp_vae", "data": {"dataset": "mnist"},
    "model": {"encoder": [{"type": "dense", "units": 64, "activation": "relu"}], "vae": {"latent": 8},
              "decoder": [{"type": "dense", "units": 64, "activation": "relu"},
                          {"type": "dense", "units": 784, "activation": "sigmoid"}],
              "loss": {"type": "bce", "reduction": "sum"}, "init": "pytorch"},
    "train": {"optimizer": {"type": "adam", "lr": 0.001}, "batch_size": )" +
         std::to_string(batch) + R"(, "epochs": 1, "seed": 3}})";
}

std::string conv_bn_config(int batch) {
  return R"({"name": "dp_conv", "data": {"dataset": "mnist"},
    "model": {"encoder": [{"type": "conv2d", "filters": 4, "kernel": 3, "padding": "same"},
                          {"type": "batch_norm"}, {"type": "relu"}, {"type": "max_pool2d", "pool": 2}],
              "decoder": [{"type": "upsampling2d", "size": 2},
                          {"type": "conv2d", "filters": 1, "kernel": 3, "padding": "same", "activation": "sigmoid"}],
              "loss": {"type": "bce", "reduction": "mean"}},
    "train": {"optimizer": {"type": "adam", "lr": 0.003}, "batch_size": )" +
         std::to_string(batch) + R"(, "epochs": 1, "seed": 5}})";
}

// Runs aekit under mpirun (np 0: without mpirun), one thread per rank; each rank dumps its
// parameters to dump/rank<r>.safetensors.
CliResult train(const ScratchDir& d, int np, const std::string& args, const std::string& dump) {
  std::filesystem::create_directories(dump);
  const std::string env = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1 AEKIT_DIST_DUMP_PARAMS=" + dump;
  // A sanitizer build's options (scripts/test --sanitize) reach the ranks too, without the leak
  // check: Open MPI's components are dlopen'ed and closed before exit, so their one-time
  // allocations show as an unknown module that no suppression can name (the leak check of the
  // training code itself runs in the single-process tests).
  std::string forward, sanitizer_env;
  for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
    if (std::getenv(name)) forward += std::string("-x ") + name + " ";
  if (const char* asan = std::getenv("ASAN_OPTIONS")) sanitizer_env = " ASAN_OPTIONS='" + std::string(asan) + ":detect_leaks=0'";
  const std::string launcher = np > 0 ? "mpirun --oversubscribe --bind-to none -x OMP_NUM_THREADS -x AEKIT_DIST_DUMP_PARAMS " +
                                            forward + "--mca btl_vader_single_copy_mechanism none -np " +
                                            std::to_string(np) + " "
                                      : "";
  const std::string out = d / "stdout.txt", err = d / "stderr.txt";
  const std::string cmd = env + sanitizer_env + " " + launcher + AEKIT_BINARY + " --threads 1 train " + args + " --data " +
                          source_path("data/mnist") + " --quiet --no-figures >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = io::read_file(out);
  r.err = io::read_file(err);
  return r;
}

std::string write_config(const ScratchDir& d, const std::string& name, const std::string& text) {
  io::write_file_atomic(d / name, text);
  return d / name;
}

void expect_ranks_identical(const std::string& dump, int np) {
  const io::TensorFile first = io::load_safetensors(dump + "/rank0.safetensors");
  for (int r = 1; r < np; ++r) {
    const io::TensorFile other = io::load_safetensors(dump + "/rank" + std::to_string(r) + ".safetensors");
    ASSERT_EQ(other.tensors.size(), first.tensors.size());
    for (const auto& [name, t] : first.tensors) {
      const Tensor& o = other.tensors.at(name);
      ASSERT_EQ(o.size(), t.size()) << name;
      EXPECT_EQ(std::memcmp(o.data(), t.data(), t.size() * sizeof(float)), 0) << name << " differs on rank " << r;
    }
  }
}

// Largest over tensors of ||a - b|| / ||b||.
double relative_difference(const std::string& a_path, const std::string& b_path) {
  const io::TensorFile a = io::load_safetensors(a_path), b = io::load_safetensors(b_path);
  double worst = 0;
  for (const auto& [name, tb] : b.tensors) {
    const Tensor& ta = a.tensors.at(name);
    double diff = 0, norm = 0;
    for (int64_t i = 0; i < tb.size(); ++i) {
      diff += (static_cast<double>(ta[i]) - tb[i]) * (static_cast<double>(ta[i]) - tb[i]);
      norm += static_cast<double>(tb[i]) * tb[i];
    }
    if (norm > 0) worst = std::max(worst, std::sqrt(diff / norm));
  }
  return worst;
}

// np ranks at batch 32/np against one process at 32, on 650 samples: 20 full steps and a tail of
// 10 samples spread unevenly over the ranks.

void check_equivalence(int np, std::string (*config)(int), double tol) {
  ScratchDir d;
  const std::string many = write_config(d, "many.json", config(32 / np));
  const std::string one = write_config(d, "one.json", config(32));
  CliResult r = train(d, np, "--config " + many + " --limit 650 --out " + (d / "many"), d / "dump_many");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("data-parallel: " + std::to_string(np) + " ranks"), std::string::npos) << r.out;
  expect_ranks_identical(d / "dump_many", np);
  CliResult s = train(d, 0, "--config " + one + " --limit 650 --out " + (d / "one"), d / "dump_one");
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_EQ(s.out.find("data-parallel"), std::string::npos);
  const double rel = relative_difference(d / "dump_many/rank0.safetensors", d / "dump_one/rank0.safetensors");
  EXPECT_LT(rel, tol) << np << " ranks vs one process";
  EXPECT_GT(rel, 0.0) << "the two runs took different code paths, so they cannot agree bit for bit";
  // Rank 0 validated and wrote the metrics: a finite validation loss.
  EXPECT_EQ(io::read_file(d / "many/metrics.csv").find("nan"), std::string::npos);
}

}  // namespace

TEST(DataParallel, DenseVaeTwoRanksTrainWhatOneProcessTrainsAtTwiceTheBatch) {
  check_equivalence(2, vae_config, 1e-5);
}

TEST(DataParallel, DenseVaeFourRanksTrainWhatOneProcessTrainsAtFourTimesTheBatch) {
  check_equivalence(4, vae_config, 1e-5);
}

TEST(DataParallel, ConvBatchNormRanksEndBitIdentical) {
  // Batch norm normalises with each rank's own statistics (docs/distributed.md), so this model is
  // not one process at N b; the parameters and the averaged running statistics still agree on
  // every rank.
  for (int np : {2, 4}) {
    ScratchDir d;
    const std::string cfg = write_config(d, "conv.json", conv_bn_config(8));
    CliResult r = train(d, np, "--config " + cfg + " --limit 200 --out " + (d / "run"), d / "dump");
    ASSERT_EQ(r.code, 0) << r.err << r.out;
    expect_ranks_identical(d / "dump", np);
  }
}

TEST(DataParallel, ResumeEqualsTheUninterruptedRunAndWorksWithOtherRankCounts) {
  ScratchDir d;
  const std::string cfg = write_config(d, "vae.json", vae_config(16));
  CliResult full = train(d, 2, "--config " + cfg + " --limit 200 --epochs 2 --out " + (d / "full"), d / "dump_full");
  ASSERT_EQ(full.code, 0) << full.err;
  CliResult first = train(d, 2, "--config " + cfg + " --limit 200 --epochs 1 --out " + (d / "part"), d / "dump_part");
  ASSERT_EQ(first.code, 0) << first.err;
  std::filesystem::copy(d / "part", d / "part1", std::filesystem::copy_options::recursive);
  CliResult resumed = train(d, 2, "--resume " + (d / "part") + " --epochs 2", d / "dump_resumed");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  expect_ranks_identical(d / "dump_resumed", 2);
  EXPECT_EQ(relative_difference(d / "dump_resumed/rank0.safetensors", d / "dump_full/rank0.safetensors"), 0.0);
  EXPECT_EQ(io::read_file(d / "part/model.safetensors"), io::read_file(d / "full/model.safetensors"));
  // One process continues the two-rank run (at its own batch; the state is the same file).
  CliResult single = train(d, 0, "--resume " + (d / "part1") + " --epochs 2", d / "dump_single");
  ASSERT_EQ(single.code, 0) << single.err;
  EXPECT_NE(single.out.find("resuming"), std::string::npos);
  EXPECT_NE(io::read_file(d / "part1/metrics.csv").find("\n2,"), std::string::npos);
}

TEST(DataParallel, BadInputOnEveryRankExitsTwoWithOneMessage) {
  ScratchDir d;
  CliResult r = train(d, 2, "--config " + (d / "missing.json") + " --out " + (d / "run"), d / "dump");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("aekit: error: rank"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "run"));
}
