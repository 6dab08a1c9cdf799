// What every oneDNN kernel shares: the one CPU engine and stream, and a scope that sets the
// OpenMP thread count for one kernel call (oneDNN reads it when a primitive is made and run).
#pragma once
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>

namespace aekit::kernels {

inline dnnl::engine& cpu_engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

inline dnnl::stream& cpu_stream() {
  static dnnl::stream s(cpu_engine());
  return s;
}

class ThreadScope {
 public:
  explicit ThreadScope(int n) : saved_(omp_get_max_threads()) {
    if (n != saved_) omp_set_num_threads(n);
  }
  ~ThreadScope() {
    if (omp_get_max_threads() != saved_) omp_set_num_threads(saved_);
  }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int saved_;
};

}  // namespace aekit::kernels
