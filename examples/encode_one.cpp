// Encoding one sample at a time from C++ (a service, an embedded device): load a trained run,
// freeze its encoder, encode test images one by one.
//
//   build/aekit_encode_one runs/vae [N]
//
// Prints the first codes (a VAE's means mu) and the mean time per encode over N images.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "data/image_dataset.h"
#include "models/frozen_encoder.h"
#include "tensor/error.h"
#include "run/load_run.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s RUN_DIR [N]\n", argv[0]);
    return 2;
  }
  try {
    aekit::run::LoadedRun run = aekit::run::load_run(argv[1]);
    const std::string why = aekit::models::FrozenEncoder::unsupported(*run.model);
    if (!why.empty()) {
      std::fprintf(stderr, "%s: %s\n", argv[1], why.c_str());
      return 2;
    }
    aekit::models::FrozenEncoder encoder(*run.model);  // a snapshot of the weights
    const aekit::data::ImageSet test =
        aekit::data::load_image_split(aekit::data::resolve_dataset_dir(run.cfg.data.dataset), "test");
    int64_t n = test.x.dim(0);
    if (argc == 3) {
      char* end = nullptr;
      n = std::strtoll(argv[2], &end, 10);
      if (end == argv[2] || *end != '\0' || n < 1 || n > test.x.dim(0))
        throw aekit::InputError("N must be a whole number from 1 to " + std::to_string(test.x.dim(0)) + ", got '" +
                                argv[2] + "'");
    }
    const int64_t size = test.x.sample_size();

    for (int64_t i = 0; i < std::min<int64_t>(3, n); ++i) {
      const float* code = encoder.encode(test.x.data() + i * size);
      std::printf("image %lld:", static_cast<long long>(i));
      for (int64_t j = 0; j < encoder.code_size(); ++j) std::printf(" %.4f", code[j]);
      std::printf("\n");
    }
    const auto t0 = std::chrono::steady_clock::now();
    float sink = 0;
    for (int64_t i = 0; i < n; ++i) sink += encoder.encode(test.x.data() + i * size)[0];
    const double us = 1e6 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n;
    std::printf("%lld encodes, %.2f us each (checksum %.3f)\n", static_cast<long long>(n), us, sink);
    return 0;
  } catch (const aekit::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
