// aekit: train, evaluate and use autoencoders. Exit codes: 0 success, 2 usage or bad input
// (one line on stderr naming the file and the problem), 1 any other failure.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/commands.h"
#include "kernels/matmul.h"
#include "tensor/error.h"

namespace {
// OpenMP threads that spin while they wait make every parallel region last a scheduler time
// slice when other processes share the cores (we measured 20x slower epochs on a busy 2-core
// machine); sleeping waiters cost ~10% on an idle one. libgomp reads its wait policy before
// main() runs, so when the user has not chosen one we set PASSIVE and re-execute ourselves once.
// OMP_WAIT_POLICY=ACTIVE restores spinning for dedicated machines.
void default_to_passive_waiting(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: then carry on with the default
}
}  // namespace

int main(int argc, char** argv) {
  default_to_passive_waiting(argv);
  CLI::App app{"aekit: autoencoders in C++ (dense, convolutional, variational) on oneDNN kernels"};
  app.require_subcommand(1);
  int threads = 0;
  app.add_option("--threads", threads, "Threads for kernels and loops (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  aekit::cli::add_demo(app);
  aekit::cli::add_train(app);
  aekit::cli::add_eval(app);
  aekit::cli::add_reconstruct(app);
  aekit::cli::add_generate(app);
  aekit::cli::add_latent(app);
  aekit::cli::add_analyze(app);
  aekit::cli::add_vae_tools(app);
  aekit::cli::add_inspect(app);
  aekit::cli::add_sentence_tools(app);
  aekit::cli::add_bench(app);
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
