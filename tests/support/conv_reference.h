// A convolution (or a transposed one) spelled out tap by tap, for tests that check the kernels
// against a double-precision sum: every multiply-add of the layer, by the indices it joins.
#pragma once
#include <cstdint>

#include "kernels/conv.h"

namespace aekit::testing {

struct ConvRef {
  kernels::ConvSpec s;
  int64_t n;
  int64_t oh() const { return s.out_h(); }
  int64_t ow() const { return s.out_w(); }
  // Calls f(x index, w index, y index) for every multiply-add of the convolution.
  template <class F>
  void taps(F&& f) const {
    // A transposed convolution from c to f channels is the data gradient of a convolution from
    // f (its output) to c (its input): the same taps with the roles of x and y exchanged.
    const int64_t in_c = s.c, out_c = s.f;
    const int64_t big_h = s.transposed ? oh() : s.h, big_w = s.transposed ? ow() : s.w;
    const int64_t small_h = s.transposed ? s.h : oh(), small_w = s.transposed ? s.w : ow();
    const int64_t big_c = s.transposed ? out_c : in_c, small_c = s.transposed ? in_c : out_c;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t o = 0; o < small_c; ++o)
        for (int64_t i = 0; i < big_c; ++i)
          for (int64_t y = 0; y < small_h; ++y)
            for (int64_t x = 0; x < small_w; ++x)
              for (int64_t u = 0; u < s.kh; ++u)
                for (int64_t v = 0; v < s.kw; ++v) {
                  const int64_t yy = y * s.sh + u - s.pt, xx = x * s.sw + v - s.pl;
                  if (yy < 0 || yy >= big_h || xx < 0 || xx >= big_w) continue;
                  const int64_t big = ((b * big_c + i) * big_h + yy) * big_w + xx;
                  const int64_t small = ((b * small_c + o) * small_h + y) * small_w + x;
                  // weights: [f, c, kh, kw] for a convolution, [c, f, kh, kw] for a transposed one
                  const int64_t w = s.transposed ? ((o * out_c + i) * s.kh + u) * s.kw + v
                                                 : ((o * in_c + i) * s.kh + u) * s.kw + v;
                  if (s.transposed)
                    f(small, w, big);  // x is the small side, y the big one
                  else
                    f(big, w, small);
                }
  }
};

}  // namespace aekit::testing
