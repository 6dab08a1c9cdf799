#include "kernels/matmul.h"
#include "kernels/dnnl_context.h"
#include "kernels/gemv.h"

#include <omp.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <tuple>

namespace aekit::kernels {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& cpu() { return cpu_engine(); }
dnnl::stream& stream() { return cpu_stream(); }

struct Key {
  int threads;
  bool ta, tb;
  int64_t m, n, k;
  bool bias;
  Fused act;
  float alpha;
  bool acc;
  auto tie() const { return std::tie(threads, ta, tb, m, n, k, bias, act, alpha, acc); }
  bool operator<(const Key& o) const { return tie() < o.tie(); }
};

struct Plan {
  dnnl::matmul prim;
  memory a, b, c, bias;
  std::unordered_map<int, memory> args;  // handles share the memory objects above
};

dnnl::algorithm to_algorithm(Fused f) {
  switch (f) {
    case Fused::relu:
    case Fused::leaky_relu: return dnnl::algorithm::eltwise_relu;
    case Fused::sigmoid: return dnnl::algorithm::eltwise_logistic;
    case Fused::tanh: return dnnl::algorithm::eltwise_tanh;
    default: return dnnl::algorithm::undef;
  }
}

Plan make_plan(const Key& key) {
  // A transposed operand is described by strides, so no copy is ever made.
  memory::desc a_md({key.m, key.k}, dt::f32,
                    key.ta ? memory::dims{1, key.m} : memory::dims{key.k, 1});
  memory::desc b_md({key.k, key.n}, dt::f32,
                    key.tb ? memory::dims{1, key.k} : memory::dims{key.n, 1});
  memory::desc c_md({key.m, key.n}, dt::f32, tag::ab);
  memory::desc bias_md = key.bias ? memory::desc({1, key.n}, dt::f32, tag::ab) : memory::desc();
  dnnl::post_ops ops;
  if (key.acc) ops.append_sum(1.0f);
  if (key.act != Fused::none)
    ops.append_eltwise(1.0f, to_algorithm(key.act), key.act == Fused::leaky_relu ? key.alpha : 0.0f,
                       0.0f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  dnnl::matmul::desc d = key.bias ? dnnl::matmul::desc(a_md, b_md, bias_md, c_md)
                                  : dnnl::matmul::desc(a_md, b_md, c_md);
  dnnl::matmul::primitive_desc pd(d, attr, cpu());
  Plan p;
  p.prim = dnnl::matmul(pd);
  p.a = memory(a_md, cpu(), DNNL_MEMORY_NONE);
  p.b = memory(b_md, cpu(), DNNL_MEMORY_NONE);
  p.c = memory(c_md, cpu(), DNNL_MEMORY_NONE);
  p.args = {{DNNL_ARG_SRC, p.a}, {DNNL_ARG_WEIGHTS, p.b}, {DNNL_ARG_DST, p.c}};
  if (key.bias) {
    p.bias = memory(bias_md, cpu(), DNNL_MEMORY_NONE);
    p.args.emplace(DNNL_ARG_BIAS, p.bias);
  }
  return p;
}

}  // namespace

// Below this many multiply-adds a second thread costs more to wake than it saves; such products
// run on the calling thread alone. A sleeping OpenMP waiter (OMP_WAIT_POLICY=PASSIVE, the CLI's
// choice on a shared machine) takes ~60 us to wake: 2M MACs. A spinning one (GOMP_SPINCOUNT or
// ACTIVE, the CLI's choice on free cores) answers in ~1 us, and splitting even batch-1 inference
// (784x400, 0.3M MACs) pays: each core then streams half the weights from its own L2
// (W8: 33 us on one thread, see docs/benchmarks.md for two).
double serial_macs() {
  static const double v = [] {
    const char* policy = std::getenv("OMP_WAIT_POLICY");
    const bool passive = policy && (std::string(policy) == "PASSIVE" || std::string(policy) == "passive");
    const bool spinning = !passive && (std::getenv("GOMP_SPINCOUNT") || policy);
    return spinning ? 1e5 : 2e6;
  }();
  return v;
}

void gemm(const Gemm& g, const float* a, const float* b, float* c) {
  static std::map<Key, Plan> plans;
  static std::mutex mu;
  const double macs = static_cast<double>(g.m) * g.n * g.k;
  if (small_rows_suit(g)) return small_rows_gemm(g, a, b, c, macs < serial_macs() ? 1 : omp_get_max_threads());
  ThreadScope scope(macs < serial_macs() ? 1 : omp_get_max_threads());
  Key key{omp_get_max_threads(), g.trans_a, g.trans_b, g.m, g.n, g.k, g.bias != nullptr, g.act, g.alpha, g.accumulate};
  Plan* plan;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = plans.find(key);
    if (it == plans.end()) it = plans.emplace(key, make_plan(key)).first;
    plan = &it->second;
  }
  plan->a.set_data_handle(const_cast<float*>(a));
  plan->b.set_data_handle(const_cast<float*>(b));
  plan->c.set_data_handle(c);
  if (g.bias) plan->bias.set_data_handle(const_cast<float*>(g.bias));
  plan->prim.execute(stream(), plan->args);
  stream().wait();
}

void set_threads(int n) {
  if (n > 0) omp_set_num_threads(n);
}
int threads() { return omp_get_max_threads(); }

}  // namespace aekit::kernels
