// Times kernels::Conv forward and backward on the direct-kernel shapes of W4 and W5 (0-3 with their
// wide side blocked, as the models run them; 14-17 the same with plain sides) and on the
// small-output layers of W4, W5 and W10 (conv_gemm_weight_grad.h: which of them make their weight
// gradient as a matmul), random data, median of 50 calls after 10 warm-ups, so kernel changes can be compared without a
// whole epoch. Build: cmake --build build --target aekit_conv_shapes; run: build/aekit_conv_shapes
// (B=<batch> overrides the batch size; ONLY=<index> runs one shape; BF16=1 computes under a bf16
// precision). docs/kernels-conv.md has the figures it gave.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "kernels/conv.h"
#include "kernels/precision.h"

using namespace aekit::kernels;

namespace {

struct Shape {
  const char* name;
  ConvSpec spec;
  int64_t batch;
  bool dx;  // does the layer need its input gradient
};

ConvSpec square(int64_t c, int64_t f, int64_t h, int64_t k, int64_t pad, bool transposed, Fused act,
                bool blocked_x = false, bool blocked_y = false) {
  ConvSpec s;
  s.c = c, s.f = f, s.h = s.w = h, s.kh = s.kw = k;
  s.pt = s.pl = s.pb = s.pr = pad;
  s.transposed = transposed, s.act = act;
  s.blocked_x = blocked_x, s.blocked_y = blocked_y;  // as Sequential joins them in the model
  return s;
}

// Stride 2 with 'same' padding for a 3 x 3 kernel on an even size: one row / column at the bottom /
// right (cropped there, for a transposed convolution).
ConvSpec strided(ConvSpec s) {
  s.sh = s.sw = 2, s.pb = s.pr = 1;
  return s;
}

// A positive integer from the environment variable `name`, or `fallback` when it is unset; a
// malformed value is a one-line error and exit 2.
long env_count(const char* name, long fallback, long limit) {
  const char* v = std::getenv(name);
  if (!v) return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*v == '\0' || *end != '\0' || n < 0 || n > limit) {
    std::fprintf(stderr, "aekit_conv_shapes: %s=%s is not a whole number in [0, %ld]\n", name, v, limit);
    std::exit(2);
  }
  return n;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  const std::vector<Shape> shapes = {
      // the direct kernels' layers, their wide side blocked as next to pooling / upsampling
      {"W4 conv 1: 1->32, 28x28, 3x3 same", square(1, 32, 28, 3, 1, false, Fused::relu, false, true), 128, false},
      {"W4 conv 7: 32->1, 28x28, 3x3 same", square(32, 1, 28, 3, 1, false, Fused::sigmoid, true), 128, true},
      {"W5 conv 1: 1->64, 28x28, 5x5 valid", square(1, 64, 28, 5, 0, false, Fused::relu, false, true), 64, false},
      {"W5 last: transposed 64->1, 24->28, 5x5", square(64, 1, 24, 5, 0, true, Fused::relu, true), 64, true},
      {"W5 conv 3: 64->32, 5->3, 3x3 valid", square(64, 32, 5, 3, 0, false, Fused::relu, true, true), 64, true},
      {"W5 dec 1: transposed 64->64, 1->3, 3x3", square(64, 64, 1, 3, 0, true, Fused::relu, false, true), 64, true},
      {"W5 dec 2: transposed 64->64, 3->5, 3x3", square(64, 64, 3, 3, 0, true, Fused::relu, true, true), 64, true},
      {"W4 dec conv 1: 16->16, 4x4 same", square(16, 16, 4, 3, 1, false, Fused::relu, true, true), 128, true},
      {"W10 conv 4: 128->256, 8->4 s2", strided(square(128, 256, 8, 3, 0, false, Fused::relu, true, true)), 64, true},
      {"W10 dec 1: t 256->128, 4->8 s2", strided(square(256, 128, 4, 3, 0, true, Fused::relu, false, true)), 64, true},
      // the layers that carry most of a W4 / W5 epoch; backward here is the weight gradient alone
      {"W5 conv 2: 64->64, 12->10 (dw only)", square(64, 64, 12, 3, 0, false, Fused::relu, true, true), 64, false},
      {"W5 dec 3: t 64->64, 10->12 (dw only)", square(64, 64, 10, 3, 0, true, Fused::relu, true, true), 64, false},
      {"W4 conv 2: 32->32, 14x14 same (dw only)", square(32, 32, 14, 3, 1, false, Fused::relu, true, true), 128, false},
      {"W4 dec 3: 32->32, 16->14 (dw only)", square(32, 32, 16, 3, 0, false, Fused::relu, true, true), 128, false},
      // the same direct layers with plain sides (the plain direct kernel)
      {"W4 conv 1 plain", square(1, 32, 28, 3, 1, false, Fused::relu), 128, false},
      {"W4 conv 7 plain", square(32, 1, 28, 3, 1, false, Fused::sigmoid), 128, true},
      {"W5 conv 1 plain", square(1, 64, 28, 5, 0, false, Fused::relu), 64, false},
      {"W5 last plain", square(64, 1, 24, 5, 0, true, Fused::relu), 64, true},
  };
  const long only = env_count("ONLY", -1, static_cast<long>(shapes.size()) - 1);
  const long batch = env_count("B", 0, 1 << 16);  // 0: each shape's own batch
  const PrecisionScope precision(env_count("BF16", 0, 1) ? Precision::bf16 : Precision::fp32, "aekit_conv_shapes");
  for (size_t i = 0; i < shapes.size(); ++i) {
    if (only >= 0 && static_cast<long>(i) != only) continue;
    const Shape& sh = shapes[i];
    const ConvSpec& s = sh.spec;
    const int64_t B = batch > 0 ? batch : sh.batch;
    const int64_t oh = s.out_h(), ow = s.out_w();
    std::vector<float> x(B * s.c * s.h * s.w), w(s.c * s.f * s.kh * s.kw), b(s.f), y(B * s.f * oh * ow),
        dy(y.size()), dw(w.size()), db(b.size()), dx(x.size());
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    for (auto* v : {&x, &w, &b, &dy})
      for (float& e : *v) e = 0.1f * normal(rng);
    Conv conv(s);
    const OutputGrad og{dy.data(), nullptr};
    std::vector<double> tf, tb;
    for (int it = 0; it < 60; ++it) {
      const auto t0 = std::chrono::steady_clock::now();
      conv.forward(B, x.data(), w.data(), b.data(), y.data());
      const auto t1 = std::chrono::steady_clock::now();
      conv.backward(og, w.data(), dw.data(), db.data(), sh.dx ? dx.data() : nullptr);
      const auto t2 = std::chrono::steady_clock::now();
      if (it < 10) continue;
      tf.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      tb.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    // multiply-adds x 2 of one direction (a transposed conv's work counts its input positions)
    const double flop = 2.0 * B * s.f * s.c * s.kh * s.kw * (s.transposed ? s.h * s.w : oh * ow);
    const double f = median(tf), bw = median(tb);
    std::printf("%-40s forward %.3f ms (%.0f GFLOP/s)  backward %.3f ms (%.0f GFLOP/s)\n", sh.name, f,
                flop / f / 1e6, bw, flop * (sh.dx ? 2 : 1) / bw / 1e6);
  }
}
