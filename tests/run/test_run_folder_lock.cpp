// One training per run folder, and no temp files of killed runs left behind.
#include "run/run_folder_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "io/atomic_file.h"
#include "support/fixtures.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "tensor/error.h"

using namespace aekit;
using namespace aekit::testing;

namespace {

// The pid of a process that has exited (and been reaped): what a killed training leaves in
// its temp file names.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

}  // namespace

TEST(RunFolderLock, SecondHolderIsRefusedNamingThePid) {
  ScratchDir d;
  const std::string run = d / "run";
  std::optional<run::RunFolderLock> first(std::in_place, run);
  try {
    run::RunFolderLock second(run);
    FAIL() << "two locks on one run folder";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), run + ": another aekit training (pid " + std::to_string(::getpid()) +
                                         ") is writing to this run folder; wait for it or choose another --out");
  }
  first.reset();  // released: the folder is free again
  EXPECT_NO_THROW(run::RunFolderLock again(run));
}

TEST(RunFolderLock, RemovesTempFilesOfDeadWritersOnly) {
  ScratchDir d;
  const std::string dead = std::to_string(dead_pid()), alive = std::to_string(::getppid());
  io::write_file_atomic(d / "model.safetensors", "weights");
  io::write_file_atomic(d / ("checkpoint.safetensors.tmp." + dead), "half a checkpoint");
  io::write_file_atomic(d / ("metrics.csv.tmp." + dead), "half");
  io::write_file_atomic(d / ("config.json.tmp." + alive), "being written by a live process");
  io::write_file_atomic(d / "notes.tmp.txt", "not a temp file of ours");
  { run::RunFolderLock lock(d.str()); }
  EXPECT_FALSE(std::filesystem::exists(d / ("checkpoint.safetensors.tmp." + dead)));
  EXPECT_FALSE(std::filesystem::exists(d / ("metrics.csv.tmp." + dead)));
  EXPECT_TRUE(std::filesystem::exists(d / ("config.json.tmp." + alive)));
  EXPECT_TRUE(std::filesystem::exists(d / "model.safetensors"));
  EXPECT_TRUE(std::filesystem::exists(d / "notes.tmp.txt"));
}

TEST(RunFolderLock, TrainingIntoALockedFolderExitsTwoWithTheHoldersPid) {
  ScratchDir d;
  const std::string run = d / "run";
  run::RunFolderLock held(run);  // as a training in progress holds it
  CliResult r = run_aekit("train --config " + source_path("configs/vanilla_mnist.json") + " --data " +
                              source_path("data/mnist") + " --limit 64 --epochs 1 --quiet --no-figures --out " + run,
                          d);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(run + ": another aekit training (pid " + std::to_string(::getpid()) + ")"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(run + "/model.safetensors"));
}
