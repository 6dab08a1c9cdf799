// parallel_for: splits [0, n) into one contiguous chunk per thread on the OpenMP runtime that
// oneDNN also uses (one threading runtime, no oversubscription). Small loops run inline: waking
// threads costs more than a few thousand flops.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace aekit::kernels {

// f(thread, threads) runs once on each of enough threads for `work` units (at least
// min_per_thread units each); inline as f(0, 1) when that is one thread.
template <class F>
void parallel_threads(int64_t work, int64_t min_per_thread, F&& f) {
  int nt = static_cast<int>(std::min<int64_t>(omp_get_max_threads(), work / std::max<int64_t>(1, min_per_thread)));
  if (nt <= 1 || omp_in_parallel()) {
    f(0, 1);
    return;
  }
#pragma omp parallel num_threads(nt)
  f(omp_get_thread_num(), omp_get_num_threads());
}

// f(begin, end, thread) is called once per contiguous chunk of [0, n).
template <class F>
void parallel_for(int64_t n, int64_t min_per_thread, F&& f) {
  parallel_threads(n, min_per_thread, [&](int t, int T) { f(n * t / T, n * (t + 1) / T, t); });
}

}  // namespace aekit::kernels
