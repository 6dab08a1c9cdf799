// aekit: train, evaluate and use autoencoders. Exit codes: 0 success, 2 usage or bad input
// (one line on stderr naming the file and the problem), 1 any other failure.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "kernels/matmul.h"
#include "tensor/error.h"

int main(int argc, char** argv) {
  CLI::App app{"aekit: autoencoders in C++ (dense, convolutional, variational) on oneDNN kernels"};
  app.require_subcommand(1);
  int threads = 0;
  app.add_option("--threads", threads, "Threads for kernels and loops (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  aekit::cli::add_demo(app);
  aekit::cli::add_train(app);
  aekit::cli::add_eval(app);
  aekit::cli::add_reconstruct(app);
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
