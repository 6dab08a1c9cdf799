// --precision on train and eval, the config's train.precision, and the fp32 fallback on a CPU
// without bf16 (pretended with oneDNN's DNNL_MAX_CPU_ISA, which the detection goes through).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "io/atomic_file.h"
#include "kernels/precision.h"
#include "run/run_config.h"
#include "support/fixtures.h"
#include "support/run_cli.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

const char* kNoBf16 = "bf16 needs a CPU with AVX512_BF16 or AMX-BF16";

std::string vanilla_with(const std::string& from, const std::string& to) {
  std::string s = io::read_file(source_path("configs/vanilla_mnist.json"));
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

std::string small_train(const ScratchDir& d, const std::string& extra) {
  return "train --config " + source_path("configs/vanilla_mnist.json") + " --data " + source_path("data/mnist") +
         " --limit 1024 --epochs 1 --quiet --no-figures --out " + (d / "run") + " " + extra;
}

double test_loss(const std::string& out) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(out, m, std::regex("test_loss ([0-9.eE+-]+)"))) << out;
  return m.empty() ? NAN : std::stod(m[1]);
}

void expect_one_line_error(const CliResult& r, const std::string& needle) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

// Sets an environment variable for the aekit processes a test starts, restoring it afterwards.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) saved_ = old;
    setenv(name, value, 1);
  }
  ~EnvVar() {
    if (saved_.empty())
      unsetenv(name_);
    else
      setenv(name_, saved_.c_str(), 1);
  }

 private:
  const char* name_;
  std::string saved_;
};

TEST(CliPrecision, UnknownFlagValueNamesTheAllowedOnes) {
  ScratchDir d;
  // --data points nowhere: the flag is refused before any data is read.
  expect_one_line_error(run_aekit("train --config " + source_path("configs/vanilla_mnist.json") + " --data " +
                                      (d / "none") + " --out " + (d / "run") + " --precision fp16",
                                  d),
                        "--precision: \"fp16\" is not one of \"fp32\", \"bf16\"");
  expect_one_line_error(run_aekit("eval --run " + (d / "none") + " --precision half", d),
                        "--precision: \"half\" is not one of \"fp32\", \"bf16\"");
  expect_one_line_error(run_aekit("serve --run " + (d / "none") + " --port 0 --precision fp8", d),
                        "--precision: \"fp8\" is not one of \"fp32\", \"bf16\"");
}

TEST(CliPrecision, UnknownConfigValueNamesTheFileAndTheAllowedOnes) {
  ScratchDir d;
  io::write_file_atomic(d / "c.json", vanilla_with("\"seed\": 0", "\"seed\": 0, \"precision\": \"bf17\""));
  expect_one_line_error(run_aekit("train --config " + (d / "c.json") + " --data " + (d / "none") + " --out " + (d / "run"), d),
                        d / "c.json: train.precision: \"bf17\" is not one of");
}

TEST(CliPrecision, WithoutBf16TheRunSaysSoAndTrainsInFp32) {
  ScratchDir d;
  const EnvVar no_bf16("DNNL_MAX_CPU_ISA", "AVX2");
  const CliResult r = run_aekit(small_train(d, "--precision bf16"), d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(std::string(kNoBf16) + " (oneDNN sees neither here); training in fp32"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // said once
  EXPECT_NE(r.out.find("precision fp32"), std::string::npos) << r.out;
  EXPECT_EQ(run::load_run_config(d / "run/config.json").train.precision, kernels::Precision::fp32);
  // fp32 asked for: nothing to say.
  ScratchDir e;
  const CliResult quiet = run_aekit(small_train(e, "--precision fp32"), e);
  ASSERT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find(kNoBf16), std::string::npos) << quiet.err;
}

TEST(CliPrecision, Bf16RunRecordsItAndEvaluatesInEitherPrecision) {
  if (!kernels::cpu_has_bf16()) GTEST_SKIP() << "this CPU has no native bf16";
  ScratchDir d;
  const CliResult t = run_aekit(small_train(d, "--precision bf16"), d);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(t.err.find(kNoBf16), std::string::npos) << t.err;
  EXPECT_NE(t.out.find("precision bf16 (products in bf16"), std::string::npos) << t.out;
  EXPECT_EQ(run::load_run_config(d / "run/config.json").train.precision, kernels::Precision::bf16);
  const std::string eval = "eval --run " + (d / "run") + " --data " + source_path("data/mnist") + " --limit 2000";
  const CliResult as_trained = run_aekit(eval, d), in_fp32 = run_aekit(eval + " --precision fp32", d);
  ASSERT_EQ(as_trained.code, 0) << as_trained.err;
  ASSERT_EQ(in_fp32.code, 0) << in_fp32.err;
  EXPECT_NE(as_trained.out.find("products in bf16"), std::string::npos) << as_trained.out;
  EXPECT_EQ(in_fp32.out.find("products in bf16"), std::string::npos) << in_fp32.out;
  const double l16 = test_loss(as_trained.out), l32 = test_loss(in_fp32.out);
  EXPECT_NEAR(l16, l32, 0.01 * l32);
  EXPECT_NE(l16, l32);
  // The bf16 run resumed in fp32: its checkpoint is fp32 like any other.
  const CliResult resumed = run_aekit("train --resume " + (d / "run") + " --epochs 2 --quiet --no-figures --data " +
                                          source_path("data/mnist") + " --precision fp32",
                                      d);
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(run::load_run_config(d / "run/config.json").train.precision, kernels::Precision::fp32);
}

}  // namespace

// The frozen encoder takes --precision through bench W8: its steps say bf16 where the CPU has it;
// without it, one line says so and it encodes in fp32. W9 (no products) refuses bf16.
TEST(CliPrecision, FrozenEncoderBenchInBf16OrSaysWhyNot) {
  ScratchDir d;
  if (kernels::cpu_has_bf16()) {
    const CliResult r = run_aekit("bench W8 --precision bf16", d);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("frozen: dense 784 -> 400, relu, bf16"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("precision bf16"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\nseconds "), std::string::npos) << r.out;
  }
  {
    const EnvVar no_bf16("DNNL_MAX_CPU_ISA", "AVX2");
    const CliResult r = run_aekit("bench W8 --precision bf16", d);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find(std::string(kNoBf16) + " (oneDNN sees neither here); frozen encoding in fp32"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out.find(", bf16"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("precision fp32"), std::string::npos) << r.out;
  }
  expect_one_line_error(run_aekit("bench W9 --precision bf16", d), "computes no products");
}
