// parallel_for: splits [0, n) into one contiguous chunk per thread on the OpenMP runtime that
// oneDNN also uses (one threading runtime, no oversubscription). Small loops run inline: waking
// threads costs more than a few thousand flops.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace aekit::kernels {

// f(begin, end, thread_index) is called once per chunk.
template <class F>
void parallel_for(int64_t n, int64_t min_per_thread, F&& f) {
  int nt = omp_get_max_threads();
  if (n < 2 * min_per_thread || nt == 1) {
    f(int64_t{0}, n, 0);
    return;
  }
  nt = static_cast<int>(std::min<int64_t>(nt, n / min_per_thread));
#pragma omp parallel num_threads(nt)
  {
    int t = omp_get_thread_num(), T = omp_get_num_threads();
    int64_t b = n * t / T, e = n * (t + 1) / T;
    f(b, e, t);
  }
}

}  // namespace aekit::kernels
