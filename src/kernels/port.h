// A tensor as the caller holds it and as a oneDNN primitive wants it (layout, and under bf16 the
// data type): shared by the matmul and convolution plans.
#pragma once
#include <omp.h>

#include <cstddef>
#include <oneapi/dnnl/dnnl.hpp>

#include "kernels/dnnl_context.h"

namespace aekit::kernels {

// Below this many elements a reorder (weights, mostly) runs on the calling thread: waking the
// other thread under OMP_WAIT_POLICY=PASSIVE costs ~60 us, the copy itself a few.
constexpr size_t kSerialElements = 1 << 16;

// `user` is the caller's plain fp32 tensor (pointer set per call); `inner` is what the primitive
// wants. When the two differ, `inner` is allocated once here and a cached reorder converts;
// otherwise both are the same memory and nothing is copied.
struct Port {
  dnnl::memory user, inner;
  dnnl::reorder convert;
  bool reorders = false, serial = false;

  Port(const dnnl::memory::desc& user_md, const dnnl::memory::desc& want, bool into_primitive)
      : user(user_md, cpu_engine(), DNNL_MEMORY_NONE) {
    if (want == user_md) {
      inner = user;
      return;
    }
    inner = dnnl::memory(want, cpu_engine());
    reorders = true;
    serial = static_cast<size_t>(user_md.dims().empty() ? 0 : product(user_md.dims())) < kSerialElements;
    ThreadScope scope(serial ? 1 : omp_get_max_threads());
    convert = into_primitive ? dnnl::reorder(user, inner) : dnnl::reorder(inner, user);
  }
  void set(const void* p) { user.set_data_handle(const_cast<void*>(p)); }
  void pull() { run(user, inner); }
  void push() { run(inner, user); }

 private:
  static dnnl::memory::dim product(const dnnl::memory::dims& d) {
    dnnl::memory::dim n = 1;
    for (auto v : d) n *= v;
    return n;
  }
  void run(dnnl::memory& from, dnnl::memory& to) {
    if (!reorders) return;
    ThreadScope scope(serial ? 1 : omp_get_max_threads());
    convert.execute(cpu_stream(), from, to);
  }
};

}  // namespace aekit::kernels
