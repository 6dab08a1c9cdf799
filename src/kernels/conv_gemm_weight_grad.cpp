#include "kernels/conv_gemm_weight_grad.h"

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "kernels/blocked.h"
#include "kernels/matmul.h"
#include "kernels/parallel.h"

namespace aekit::kernels {

namespace {

constexpr int64_t kMaxCells = 25, kMinChannels = 32;

int64_t cells(const ConvSpec& s) { return s.transposed ? s.h * s.w : s.out_h() * s.out_w(); }
int64_t window_channels(const ConvSpec& s) { return s.transposed ? s.f : s.c; }

}  // namespace

bool gemm_weight_grad_suits(const ConvSpec& s) {
  return cells(s) <= kMaxCells && s.c >= kMinChannels && s.f >= kMinChannels;
}

GemmWeightGrad::GemmWeightGrad(const ConvSpec& s, int64_t batch) : s_(s), batch_(batch) {
  const int64_t rows = s.transposed ? s.c : s.f, taps = s.kh * s.kw;
  a_.resize(rows * batch * cells(s));
  col_.resize(batch * cells(s) * taps * window_channels(s));
  dwt_.resize(rows * taps * window_channels(s));
  // a plan serves one thread count (conv.h), so the per-thread buffers are made once here
  planes_.assign(static_cast<size_t>(omp_get_max_threads()), std::vector<float>(kChannelBlock * cells(s)));
}

void GemmWeightGrad::pack_rows(const Side& r) {
  const int64_t P = r.h * r.w, NP = batch_ * P;
  constexpr int64_t G = kChannelBlock;
  parallel_for(batch_, 8, [&](int64_t n0, int64_t n1, int t) {
    std::vector<float>& planes = planes_[static_cast<size_t>(t)];
    for (int64_t n = n0; n < n1; ++n) {
      if (!r.blocked) {
        for (int64_t c = 0; c < r.c; ++c)
          std::memcpy(&a_[c * NP + n * P], r.p + (n * r.c + c) * P, P * sizeof(float));
        continue;
      }
      for (int64_t g = 0; g < r.c / G; ++g) {
        unblock_group(r.p + (n * r.c / G + g) * P * G, P, planes.data());
        for (int64_t l = 0; l < G; ++l)
          std::memcpy(&a_[(g * G + l) * NP + n * P], &planes[l * P], P * sizeof(float));
      }
    }
  });
}

void GemmWeightGrad::windows(const Side& s, int64_t oh, int64_t ow) {
  const int64_t P = oh * ow, taps = s_.kh * s_.kw, width = taps * s.c, HW = s.h * s.w;
  constexpr int64_t G = kChannelBlock;
  parallel_for(batch_ * P, 64, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; ++q) {  // row q: sample q / P, output cell q % P
      const int64_t n = q / P, i = q % P / ow, j = q % P % ow;
      float* row = &col_[q * width];
      for (int64_t kh = 0; kh < s_.kh; ++kh)
        for (int64_t kw = 0; kw < s_.kw; ++kw) {
          float* out = row + (kh * s_.kw + kw) * s.c;
          const int64_t y = i * s_.sh - s_.pt + kh, x = j * s_.sw - s_.pl + kw;
          if (y < 0 || y >= s.h || x < 0 || x >= s.w) {
            std::fill(out, out + s.c, 0.0f);
          } else if (s.blocked) {  // a cell's 16 channels of a group lie together
            for (int64_t g = 0; g < s.c / G; ++g)
              std::memcpy(out + g * G, s.p + ((n * s.c / G + g) * HW + y * s.w + x) * G, G * sizeof(float));
          } else {
            const float* p = s.p + n * s.c * HW + y * s.w + x;
            for (int64_t c = 0; c < s.c; ++c) out[c] = p[c * HW];
          }
        }
    }
  });
}

void GemmWeightGrad::run(const float* x, const float* g, float* dw) {
  const Side xs{x, s_.c, s_.h, s_.w, s_.blocked_x}, gs{g, s_.f, s_.out_h(), s_.out_w(), s_.blocked_y};
  const Side& r = s_.transposed ? xs : gs;  // the convolution form's output side
  const Side& s = s_.transposed ? gs : xs;
  const int64_t taps = s_.kh * s_.kw, NP = batch_ * r.h * r.w;
  pack_rows(r);
  windows(s, r.h, r.w);
  Gemm m;
  m.m = r.c, m.n = taps * s.c, m.k = NP;
  gemm(m, a_.data(), col_.data(), dwt_.data());
  for (int64_t a = 0; a < r.c; ++a)  // [r][tap][s] -> [r][s][tap]
    for (int64_t t = 0; t < taps; ++t)
      for (int64_t c = 0; c < s.c; ++c) dw[(a * s.c + c) * taps + t] = dwt_[(a * taps + t) * s.c + c];
}

}  // namespace aekit::kernels
