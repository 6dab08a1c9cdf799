// A model.safetensors written by aekit loads in PyTorch and gives the same outputs
// (tests/tools/torch_load_check.py). Skipped only when python3-torch is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "models/autoencoder.h"
#include "support/fixtures.h"
#include "support/grad_check.h"
#include "support/temp_dir.h"
#include "run/checkpoint.h"

using namespace aekit;
using namespace aekit::testing;

TEST(PyTorchInterop, WeightsLoadInTorchAndReproduceOutputs) {
  if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3-torch not installed (scripts/setup installs it)";
  ScratchDir dir;
  models::Autoencoder ae({{"encoder", {{{"type", "dense"}, {"units", 32}, {"activation", "relu"}},
                                       {{"type", "dense"}, {"units", 8}, {"activation", "tanh"}}}},
                          {"decoder", {{{"type", "dense"}, {"units", 784}, {"activation", "sigmoid"}}}},
                          {"loss", {{"type", "bce"}}}},
                         {1, 28, 28});
  Rng rng(4);
  ae.init(rng);
  run::save_weights(dir / "model.safetensors", ae);
  io::TensorFile f;
  f.tensors["x"] = random_tensor({5, 1, 28, 28}, 9);
  f.tensors["y"] = ae.reconstruct(f.tensors["x"]);
  io::save_safetensors(dir / "io.safetensors", f);
  const std::string cmd = "/usr/bin/python3 " + source_path("tests/tools/torch_load_check.py") + " " +
                          (dir / "model.safetensors") + " " + (dir / "io.safetensors") + " > " + (dir / "out.txt");
  int status = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << io::read_file(dir / "out.txt");
  EXPECT_NE(io::read_file(dir / "out.txt").find("max_abs_diff"), std::string::npos);
}
