// aekit: train, evaluate and use autoencoders. Exit codes: 0 success, 2 usage or bad input
// (one line on stderr naming the file and the problem), 1 any other failure.
#include <aekit/version.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/commands.h"
#include "kernels/matmul.h"
#include "tensor/error.h"

namespace {
// How OpenMP's idle threads wait between parallel regions. A training step runs hundreds of short
// regions, so on free cores a waiter that spins briefly (GOMP_SPINCOUNT=10000, a few tens of us)
// catches the next region at once: W1 ran in 0.156 s vs 0.258 s with sleeping waiters
// (OMP_WAIT_POLICY=PASSIVE). When other processes share the cores, spinning steals their time
// slices and the epoch ran 1.5-3x slower than with sleeping waiters (docs/kernels.md). libgomp
// reads these variables before main() runs, so when the user has chosen neither we look at the
// machine once and re-execute ourselves with the choice set.
bool other_processes_running() {
  // /proc/loadavg's fourth field is "runnable/total"; the runnable count includes ourselves.
  // Seven samples 3 ms apart and a majority vote: a process that wants the cores is runnable in
  // nearly every sample, a momentary blip (a shell, a daemon, the parent exiting) in one or two.
  int busy = 0;
  for (int i = 0; i < 7; ++i) {
    std::FILE* f = std::fopen("/proc/loadavg", "r");
    if (!f) return true;  // cannot tell: assume shared, the safe choice
    double a, b, c;
    int running = 0, total = 0;
    int got = std::fscanf(f, "%lf %lf %lf %d/%d", &a, &b, &c, &running, &total);
    std::fclose(f);
    if (got != 5) return true;
    busy += running > 1;
    usleep(3000);
  }
  return busy >= 4;
}

void choose_wait_policy(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  if (other_processes_running())
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  else
    setenv("GOMP_SPINCOUNT", "10000", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: then carry on with the default
}
}  // namespace

int main(int argc, char** argv) {
  choose_wait_policy(argv);
  CLI::App app{"aekit: autoencoders in C++ (dense, convolutional, variational) on oneDNN kernels"};
  app.set_version_flag("--version", std::string("aekit ") + AEKIT_VERSION_STRING);
  app.require_subcommand(1);
  int threads = 0;
  app.add_option("--threads", threads, "Threads for kernels and loops (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  aekit::cli::add_demo(app);
  aekit::cli::add_train(app);
  aekit::cli::add_check(app);
  aekit::cli::add_eval(app);
  aekit::cli::add_reconstruct(app);
  aekit::cli::add_generate(app);
  aekit::cli::add_latent(app);
  aekit::cli::add_analyze(app);
  aekit::cli::add_vae_tools(app);
  aekit::cli::add_inspect(app);
  aekit::cli::add_sentence_tools(app);
  aekit::cli::add_report(app);
  aekit::cli::add_bench(app);
  aekit::cli::add_export(app);
  aekit::cli::add_import(app);
  aekit::cli::add_serve(app);
  app.parse_complete_callback([&] { aekit::kernels::set_threads(threads); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const aekit::InputError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "aekit: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "aekit: failed: %s\n", e.what());
    return 1;
  }
  return 0;
}
