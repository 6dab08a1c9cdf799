// Uses an installed aekit through its facade: loads a run, encodes, decodes, reconstructs and
// scores a batch, encodes one sample through the frozen encoder, and checks a wrong size is an
// aekit::Error.
//
//   consumer RUN_DIR     prints the shapes, the first code and the scores; exit 0 when all agree
#include <aekit/aekit.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s RUN_DIR\n", argv[0]);
    return 2;
  }
  try {
    std::printf("aekit %s (header %s)\n", aekit::version().c_str(), AEKIT_VERSION_STRING);
    aekit::Model model = aekit::Model::load(argv[1]);
    const int64_t n = 4, in = model.input_size(), code = model.code_size();
    std::printf("input %lld floats, code %lld floats%s\n", (long long)in, (long long)code,
                model.is_vae() ? ", vae" : "");

    std::vector<float> x(n * in);  // a smooth pattern per sample, in [0, 1]
    for (int64_t i = 0; i < n * in; ++i) x[i] = 0.5f + 0.5f * std::sin(0.01f * i);
    const std::vector<float> z = model.encode(x, n);
    const std::vector<float> y = model.decode(z, n);
    const std::vector<float> r = model.reconstruct(x, n);
    const std::vector<float> s = model.score(x, n);
    std::printf("encode %zu, decode %zu, reconstruct %zu, score %zu floats\n", z.size(), y.size(), r.size(),
                s.size());
    float worst = 0;  // reconstruct must equal decode(encode(x))
    for (size_t i = 0; i < y.size(); ++i) worst = std::fmax(worst, std::fabs(y[i] - r[i]));
    std::printf("max |decode(encode(x)) - reconstruct(x)| %.3g\n", worst);
    std::printf("scores:");
    for (float v : s) std::printf(" %.6f", v);
    std::printf("\n");

    aekit::Encoder one = model.freeze();
    float worst_one = 0;
    for (int64_t i = 0; i < n; ++i) {
      std::span<const float> c = one.encode(std::span<const float>(x).subspan(i * in, in));
      for (int64_t j = 0; j < code; ++j) worst_one = std::fmax(worst_one, std::fabs(c[j] - z[i * code + j]));
    }
    std::printf("max |frozen - batch code| %.3g\n", worst_one);

    try {
      model.encode(std::vector<float>(in + 1), 1);
      std::printf("wrong size accepted\n");
      return 1;
    } catch (const aekit::Error& e) {
      std::printf("wrong size: %s\n", e.what());
    }
    return worst < 1e-5f && worst_one < 1e-4f ? 0 : 1;
  } catch (const aekit::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
