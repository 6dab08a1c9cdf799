#include "kernels/matmul.h"
#include "kernels/dnnl_context.h"
#include "kernels/gemv.h"
#include "kernels/port.h"
#include "kernels/precision.h"

#include <omp.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
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
  Precision precision;
  bool a_bf16, b_bf16;  // the caller's A / B already in bf16
  auto tie() const { return std::tie(threads, ta, tb, m, n, k, bias, act, alpha, acc, precision, a_bf16, b_bf16); }
  bool operator<(const Key& o) const { return tie() < o.tie(); }
};

// A and B reach the primitive through ports: the caller's fp32 as it is, or under bf16
// converted into buffers the plan owns (B into the layout the primitive prefers).
struct Plan {
  dnnl::matmul prim;
  std::optional<Port> a, b;
  memory c, bias;
  std::unordered_map<int, memory> args;  // handles share the memory objects above
  // B as last converted: a caller that marks B unchanged (Gemm::b_version) skips converting again.
  const void* b_from = nullptr;
  uint64_t b_version = 0;
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

// Strides of a row-major [rows, cols] operand, or of one stored transposed ([cols, rows]).
memory::dims strides(bool transposed, int64_t rows, int64_t cols) {
  return transposed ? memory::dims{1, rows} : memory::dims{cols, 1};
}

// The primitive for key with A and B read as `in` (f32, or bf16 with fp32 accumulation and C).
dnnl::matmul::primitive_desc make_pd(const Key& key, dt in, const memory::desc& a_md, const memory::desc& b_md,
                                     const memory::desc& c_md, const memory::desc& bias_md) {
  dnnl::post_ops ops;
  if (key.acc) ops.append_sum(1.0f);
  if (key.act != Fused::none)
    ops.append_eltwise(1.0f, to_algorithm(key.act), key.act == Fused::leaky_relu ? key.alpha : 0.0f,
                       0.0f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  // Under bf16: A plain, B in whatever blocked layout the kernel reads fastest; an operand the
  // caller gives in bf16 is read as it is, transposed or not (W7's dW_hh: 8.8 ms reading its
  // transposed A against 8.0 ms plus a 1.4 ms reorder into the plain layout).
  memory::desc a_in = in == dt::f32 ? a_md : memory::desc(a_md.dims(), in, tag::ab);
  memory::desc b_in = in == dt::f32 ? b_md : memory::desc(b_md.dims(), in, tag::any);
  if (in == dt::bf16 && key.a_bf16) a_in = memory::desc(a_md.dims(), in, strides(key.ta, key.m, key.k));
  if (in == dt::bf16 && key.b_bf16) b_in = memory::desc(b_md.dims(), in, strides(key.tb, key.k, key.n));
  dnnl::matmul::desc d = key.bias ? dnnl::matmul::desc(a_in, b_in, bias_md, c_md) : dnnl::matmul::desc(a_in, b_in, c_md);
  return dnnl::matmul::primitive_desc(d, attr, cpu());
}

Plan make_plan(const Key& key) {
  // A transposed operand is described by strides, so fp32 makes no copy.
  const memory::dims a_strides = strides(key.ta, key.m, key.k), b_strides = strides(key.tb, key.k, key.n);
  memory::desc a_md({key.m, key.k}, dt::f32, a_strides);
  memory::desc b_md({key.k, key.n}, dt::f32, b_strides);
  memory::desc c_md({key.m, key.n}, dt::f32, tag::ab);
  memory::desc bias_md = key.bias ? memory::desc({1, key.n}, dt::f32, tag::ab) : memory::desc();
  dnnl::matmul::primitive_desc pd = make_pd(key, dt::f32, a_md, b_md, c_md, bias_md);
  if (key.precision == Precision::bf16) {
    // oneDNN's reference loops would be far slower than fp32: only a real bf16 kernel is taken.
    dnnl::matmul::primitive_desc bf16 = make_pd(key, dt::bf16, a_md, b_md, c_md, bias_md);
    if (std::string(bf16.impl_info_str()).rfind("ref", 0) != 0) pd = bf16;
  }
  Plan p;
  p.prim = dnnl::matmul(pd);
  // The caller's operands as they are; the ports convert what the primitive reads differently.
  p.a.emplace(key.a_bf16 ? memory::desc({key.m, key.k}, dt::bf16, a_strides) : a_md, pd.src_desc(), true);
  p.b.emplace(key.b_bf16 ? memory::desc({key.k, key.n}, dt::bf16, b_strides) : b_md, pd.weights_desc(), true);
  p.c = memory(c_md, cpu(), DNNL_MEMORY_NONE);
  p.args = {{DNNL_ARG_SRC, p.a->inner}, {DNNL_ARG_WEIGHTS, p.b->inner}, {DNNL_ARG_DST, p.c}};
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

namespace {

// a / b are fp32, or bf16 where a_bf16 / b_bf16 say so.
void run_gemm(const Gemm& g, const void* a, bool a_bf16, const void* b, bool b_bf16, float* c) {
  static std::map<Key, Plan> plans;
  static std::mutex mu;
  const double macs = static_cast<double>(g.m) * g.n * g.k;
  if (!a_bf16 && !b_bf16 && small_rows_suit(g))
    return small_rows_gemm(g, static_cast<const float*>(a), static_cast<const float*>(b), c,
                           macs < serial_macs() ? 1 : omp_get_max_threads());
  ThreadScope scope(macs < serial_macs() ? 1 : omp_get_max_threads());
  Key key{omp_get_max_threads(), g.trans_a, g.trans_b,    g.m,      g.n,      g.k, g.bias != nullptr,
          g.act,                 g.alpha,   g.accumulate, compute_precision(), a_bf16, b_bf16};
  Plan* plan;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = plans.find(key);
    if (it == plans.end()) it = plans.emplace(key, make_plan(key)).first;
    plan = &it->second;
  }
  plan->a->set(a);
  plan->a->pull();
  plan->b->set(b);
  if (g.b_version == 0 || plan->b_from != b || plan->b_version != g.b_version) {
    plan->b->pull();
    plan->b_from = b;
    plan->b_version = g.b_version;
  }
  plan->c.set_data_handle(c);
  if (g.bias) plan->bias.set_data_handle(const_cast<float*>(g.bias));
  plan->prim.execute(stream(), plan->args);
  stream().wait();
}

}  // namespace

void gemm(const Gemm& g, const float* a, const float* b, float* c) { run_gemm(g, a, false, b, false, c); }
void gemm(const Gemm& g, const uint16_t* a, const float* b, float* c) { run_gemm(g, a, true, b, false, c); }
void gemm(const Gemm& g, const float* a, const uint16_t* b, float* c) { run_gemm(g, a, false, b, true, c); }

uint64_t next_b_version() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

void set_threads(int n) {
  if (n > 0) omp_set_num_threads(n);
}
int threads() { return omp_get_max_threads(); }

}  // namespace aekit::kernels
