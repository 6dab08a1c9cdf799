#include "kernels/conv.h"

#include "kernels/dnnl_context.h"

#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernels/blocked.h"
#include "kernels/conv_direct.h"
#include "kernels/conv_direct_blocked.h"
#include "kernels/conv_bf16_weight_grad.h"
#include "kernels/conv_gemm_weight_grad.h"
#include "kernels/parallel.h"
#include "kernels/port.h"
#include "kernels/precision.h"
#include "kernels/simd.h"
#include "tensor/error.h"

namespace aekit::kernels {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using Args = std::unordered_map<int, memory>;

dnnl::engine& cpu() { return cpu_engine(); }
dnnl::stream& stream() { return cpu_stream(); }

dnnl::algorithm eltwise(Fused f) {
  switch (f) {
    case Fused::relu:
    case Fused::leaky_relu: return dnnl::algorithm::eltwise_relu;
    case Fused::sigmoid: return dnnl::algorithm::eltwise_logistic;
    case Fused::tanh: return dnnl::algorithm::eltwise_tanh;
    default: return dnnl::algorithm::undef;
  }
}

struct ConvOps {
  static constexpr bool fuses_epilogue = true;  // bias and activation inside the forward
  static constexpr bool sums_bias_grad = true;  // the weight-gradient primitive makes db too
  using Fwd = dnnl::convolution_forward;
  using BwdData = dnnl::convolution_backward_data;
  using BwdWeights = dnnl::convolution_backward_weights;
  static constexpr dnnl::algorithm alg = dnnl::algorithm::convolution_direct;
  static constexpr tag weights_tag = tag::oihw;  // [f, c, kh, kw]
};
// oneDNN 2.6 runs a deconvolution's bias and post-ops through a slow reference path (3x3,
// stride 2, 8 -> 16 channels, 14 -> 28, batch 128, one thread: 0.8 ms plain, 8 ms with bias,
// 59 ms with a relu post-op), so transposed convolutions add bias and activation afterwards
// in one vectorised binary (+ eltwise post-op) pass over the output.
struct DeconvOps {
  static constexpr bool fuses_epilogue = false;
  // oneDNN 2.6 sums a deconvolution's bias gradient in scalar loops (bias_grad below): ours.
  static constexpr bool sums_bias_grad = false;
  using Fwd = dnnl::deconvolution_forward;
  using BwdData = dnnl::deconvolution_backward_data;
  using BwdWeights = dnnl::deconvolution_backward_weights;
  static constexpr dnnl::algorithm alg = dnnl::algorithm::deconvolution_direct;
  static constexpr tag weights_tag = tag::iohw;  // oneDNN's {f, c, kh, kw} stored as [c, f, kh, kw]
};

// db[f] = the sum of g over the batch and the plane; g is [batch, f, hw], plain or channel-blocked
// (nChw16c, f a multiple of 16). For transposed convolutions and where the weight gradient is a
// matmul. oneDNN 2.6 sums it for a deconvolution in scalar loops after the weight gradient, converting
// every bf16 value through a function call (W5's 64 -> 64 10 -> 12, bf16: 1.48 ms per weight-
// gradient call against 0.93 ms for the convolution of the same shape).
void bias_grad(const float* g, int64_t batch, int64_t f, int64_t hw, bool blocked, float* db) {
  using namespace simd;
  constexpr int64_t G = kChannelBlock, V = G / kLanes;  // vectors per cell of a channel group
  const int64_t units = blocked ? f / G : f;             // a group of 16 channels, or one channel
  parallel_for(units, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, batch * hw * (blocked ? G : 1))),
               [&](int64_t u0, int64_t u1, int) {
    for (int64_t u = u0; u < u1; ++u) {
      if (blocked) {  // [batch][f / 16][hw][16]: each cell holds the group's 16 channels
        vf sum[V] = {};
        for (int64_t n = 0; n < batch; ++n) {
          const float* p = g + (n * f + u * G) * hw;
          for (int64_t i = 0; i < hw; ++i)
            for (int64_t v = 0; v < V; ++v) sum[v] += load(p + i * G + v * kLanes);
        }
        for (int64_t v = 0; v < V; ++v) store(db + u * G + v * kLanes, sum[v]);
      } else {
        vf sum = splat(0);
        for (int64_t n = 0; n < batch; ++n) {
          const float* p = g + (n * f + u) * hw;
          int64_t i = 0;
          for (; i + kLanes <= hw; i += kLanes) sum += load(p + i);
          if (i < hw) sum += load(p + i, lanes(0, static_cast<int>(hw - i)));
        }
        db[u] = hsum(sum);
      }
    }
  });
}

// Whether a bf16 plan's weight gradient is the matmul, which reads x and g in fp32: the small-output
// layers our bf16 kernel does not take.
bool matmul_weight_grad(const ConvSpec& s) { return gemm_weight_grad_suits(s) && !bf16_kernel_weight_grad_suits(s); }

}  // namespace

int64_t ConvSpec::out_h() const {
  return transposed ? (h - 1) * sh + kh - pt - pb : (h + pt + pb - kh) / sh + 1;
}
int64_t ConvSpec::out_w() const {
  return transposed ? (w - 1) * sw + kw - pl - pr : (w + pl + pr - kw) / sw + 1;
}

namespace {

template <class Ops>
class PlanT final : public Conv::Plan {
 public:
  // `in` is the data type the primitives read x, w and g in (f32, or bf16 with f32 results).
  PlanT(const ConvSpec& s, int64_t batch, dt in)
      : in_(in),
        weight_grad_in_(in == dt::bf16 && !bf16_weight_grad(s) ? dt::f32 : in),
        gemm_weight_grad_(in == dt::bf16 ? matmul_weight_grad(s) : gemm_weight_grad_suits(s)),
        bf16_kernel_weight_grad_(in == dt::bf16 && bf16_kernel_weight_grad_suits(s)),
        spec_(s),
        x_md_({batch, s.c, s.h, s.w}, stored(s.bf16_x), s.blocked_x ? tag::nChw16c : tag::nchw),
        y_md_({batch, s.f, s.out_h(), s.out_w()}, stored(s.bf16_y), s.blocked_y ? tag::nChw16c : tag::nchw),
        w_md_({s.f, s.c, s.kh, s.kw}, dt::f32, Ops::weights_tag),
        b_md_(s.bias ? memory::desc({s.f}, dt::f32, tag::x) : memory::desc()),
        strides_{s.sh, s.sw},
        pad_l_{s.pt, s.pl},
        pad_r_{s.pb, s.pr},
        fwd_pd_(make_fwd(s, in_)),
        fwd_(fwd_pd_),
        x_(x_md_, fwd_pd_.src_desc(), true),
        w_(w_md_, fwd_pd_.weights_desc(), true),
        y_(y_md_, fwd_pd_.dst_desc(), false) {
    fwd_args_ = {{DNNL_ARG_SRC, x_.inner}, {DNNL_ARG_WEIGHTS, w_.inner}, {DNNL_ARG_DST, y_.inner}};
    if (s.bias) b_ = memory(b_md_, cpu(), DNNL_MEMORY_NONE);
    if (Ops::fuses_epilogue) {
      if (s.bias) fwd_args_.emplace(DNNL_ARG_BIAS, b_);
    } else if (s.bias) {  // y = act(y + bias), bias broadcast as [1, f, 1, 1]
      // tagged like y: for a channel-blocked y oneDNN only has a reference binary against a
      // plain bias (the bytes of a [1, f, 1, 1] tensor are the same in both layouts)
      const memory::desc b4({1, s.f, 1, 1}, dt::f32, s.blocked_y ? tag::nChw16c : tag::nchw);
      epilogue_.emplace(dnnl::binary(dnnl::binary::primitive_desc(
          dnnl::binary::desc(dnnl::algorithm::binary_add, y_md_, b4, y_md_), activation(s), cpu())));
      epilogue_args_ = {{DNNL_ARG_SRC_0, y_.user}, {DNNL_ARG_SRC_1, memory(b4, cpu(), DNNL_MEMORY_NONE)},
                        {DNNL_ARG_DST, y_.user}};
    } else if (s.act != Fused::none) {
      epilogue_.emplace(dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(
          dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, eltwise(s.act), y_md_,
                                      s.act == Fused::leaky_relu ? s.alpha : 0.0f),
          cpu())));
      epilogue_args_ = {{DNNL_ARG_SRC, y_.user}, {DNNL_ARG_DST, y_.user}};
    }
  }

  void forward(const float* x, const float* w, const float* b, float* y) override {
    x_.set(x);
    w_.set(w);
    y_.set(y);
    if (b) b_.set_data_handle(const_cast<float*>(b));
    x_.pull();
    w_.pull();
    fwd_.execute(stream(), fwd_args_);
    y_.push();
    if (epilogue_) {
      if (b) epilogue_args_.at(DNNL_ARG_SRC_1).set_data_handle(const_cast<float*>(b));
      epilogue_->execute(stream(), epilogue_args_);
    }
    stream().wait();
  }

  void backward(const OutputGrad& og, const float* w, float* dw, float* db, float* dx) override {
    const float* g = og.dy;
    if (og.make) {
      const size_t n = y_md_.get_size() / sizeof(float);
      g_.resize(n);  // allocates on the first backward only
      og.make(0, static_cast<int64_t>(n), g_.data());
      g = g_.data();
    }
    // The weight gradient: one matmul for small outputs, our bf16 kernel, or oneDNN's primitive;
    // each is made on first use, so an eval-only batch size never holds its buffers.
    bool db_done = false;
    if (gemm_weight_grad_) {
      if (!gemm_dw_) gemm_dw_.emplace(spec_, y_md_.dims()[0]);
      gemm_dw_->run(static_cast<const float*>(x_.user.get_data_handle()), g, dw);
    } else if (bf16_kernel_weight_grad_) {
      if (!bf16_dw_) bf16_dw_.emplace(spec_, y_md_.dims()[0]);
      db_done = !spec_.transposed;  // a convolution's g is the kernel's row side, which it sums
      bf16_dw_->run(x_.user.get_data_handle(), g, dw, db_done ? db : nullptr);
    } else {
      if (!bw_) bw_.emplace(*this);
      bw_->g.set(g);
      bw_->dw.set(dw);
      if (db && BwdWeights::with_bias(*this)) bw_->db.set_data_handle(db);
      if (bw_->x) {
        bw_->x->set(x_.user.get_data_handle());
        bw_->x->pull();
      }
      bw_->g.pull();
      bw_->prim.execute(stream(), bw_->args);
      bw_->dw.push();
      db_done = BwdWeights::with_bias(*this);
    }
    if (db && !db_done)
      bias_grad(g, y_md_.dims()[0], spec_.f, spec_.out_h() * spec_.out_w(), spec_.blocked_y, db);
    if (dx) {
      if (!bd_) bd_.emplace(*this);
      BwdData& d = *bd_;
      d.w.set(w);
      d.dx.set(dx);
      if (d.g) {
        d.g->set(g);
        d.g->pull();
      }
      d.w.pull();
      d.prim.execute(stream(), d.args);
      d.dx.push();
    }
    stream().wait();
  }

  // Whether oneDNN has a real kernel (not its reference loops) for every primitive of this plan;
  // asked of a bf16 plan, which is replaced by an fp32 one when not.
  bool native() const {
    auto real = [](const char* impl) { return std::string(impl).rfind("ref", 0) != 0; };
    return real(fwd_pd_.impl_info_str()) &&
           (gemm_weight_grad_ || bf16_kernel_weight_grad_ || real(BwdWeights::make(*this).impl_info_str())) &&
           real(BwdData::make(*this).impl_info_str());
  }

 private:
  // The activation as a post-op (none: empty attributes).
  static dnnl::primitive_attr activation(const ConvSpec& s) {
    dnnl::primitive_attr attr;
    if (s.act != Fused::none) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, eltwise(s.act), s.act == Fused::leaky_relu ? s.alpha : 0.0f, 0.0f);
      attr.set_post_ops(ops);
    }
    return attr;
  }

  // A layout left to the primitive, in data type t.
  static memory::desc any(const memory::desc& m, dt t) { return memory::desc(m.dims(), t, tag::any); }

  // The caller's type for a side the spec may store in bf16: bf16 under a bf16 compute precision
  // (the plan belongs to one precision), whether or not this plan's products run bf16.
  static dt stored(bool bf16_side) {
    return bf16_side && compute_precision() == Precision::bf16 ? dt::bf16 : dt::f32;
  }
  // What a primitive writes a caller's side in: its type under bf16 products (no conversion
  // after), fp32 under fp32 products (the port converts when the caller's side is bf16).
  static dt written(const memory::desc& side, dt products) { return products == dt::bf16 ? side.data_type() : dt::f32; }

  // y's layout: the primitive's choice, except a transposed convolution to fewer than 16 channels
  // writes the caller's plain layout. oneDNN's choice there is channel-blocked, 16 channels
  // padded: 5.3x the bytes for an RGB output (a 67 MB buffer at 256 x 64x64) and a reorder after
  // every call. W10's last layer (32 -> 3, 32x32 -> 64x64), per epoch: blocked 319 + reorder
  // 118 ms, plain (oneDNN's gemm kernel) 255 + reorder of x 50-100 ms.
  memory::desc y_want(dt products) const {
    if (spec_.transposed && spec_.f < 16) return y_md_;
    return any(y_md_, written(y_md_, products));
  }

  typename Ops::Fwd::primitive_desc make_fwd(const ConvSpec& s, dt in) const {
    typename Ops::Fwd::desc d =
        s.bias && Ops::fuses_epilogue
            ? typename Ops::Fwd::desc(dnnl::prop_kind::forward_training, Ops::alg, any(x_md_, in), any(w_md_, in),
                                      b_md_, y_want(in), strides_, pad_l_, pad_r_)
            : typename Ops::Fwd::desc(dnnl::prop_kind::forward_training, Ops::alg, any(x_md_, in), any(w_md_, in),
                                      y_want(in), strides_, pad_l_, pad_r_);
    return typename Ops::Fwd::primitive_desc(d, Ops::fuses_epilogue ? activation(s) : dnnl::primitive_attr(), cpu());
  }

  struct BwdWeights {
    typename Ops::BwdWeights::primitive_desc pd;
    typename Ops::BwdWeights prim;
    std::optional<Port> x;  // only when this primitive wants x in another layout than forward's
    Port g, dw;
    memory db;
    Args args;

    explicit BwdWeights(PlanT& p)
        : pd(make(p)), prim(pd), g(p.y_md_, pd.diff_dst_desc(), true), dw(p.w_md_, pd.diff_weights_desc(), false) {
      memory x_in = p.x_.inner;
      if (pd.src_desc() != p.x_.inner.get_desc()) {
        x.emplace(p.x_md_, pd.src_desc(), true);
        x_in = x->inner;
      }
      args = {{DNNL_ARG_SRC, x_in}, {DNNL_ARG_DIFF_DST, g.inner}, {DNNL_ARG_DIFF_WEIGHTS, dw.inner}};
      if (with_bias(p)) {
        db = memory(p.b_md_, cpu(), DNNL_MEMORY_NONE);
        args.emplace(DNNL_ARG_DIFF_BIAS, db);
      }
    }
    static bool with_bias(const PlanT& p) { return p.b_md_ != memory::desc() && Ops::sums_bias_grad; }
    static typename Ops::BwdWeights::primitive_desc make(const PlanT& p) {
      const dt in = p.weight_grad_in_;
      auto d = with_bias(p)
                   ? typename Ops::BwdWeights::desc(Ops::alg, any(p.x_md_, in), any(p.w_md_, dt::f32), p.b_md_,
                                                    any(p.y_md_, in), p.strides_, p.pad_l_, p.pad_r_)
                   : typename Ops::BwdWeights::desc(Ops::alg, any(p.x_md_, in), any(p.w_md_, dt::f32),
                                                    any(p.y_md_, in), p.strides_, p.pad_l_, p.pad_r_);
      // The forward hint in the weight gradient's own type (an fp32 one when only it is fp32).
      if (in == p.in_) return typename Ops::BwdWeights::primitive_desc(d, cpu(), p.fwd_pd_);
      return typename Ops::BwdWeights::primitive_desc(d, cpu(), p.make_fwd(p.spec_, in));
    }
  };

  struct BwdData {
    typename Ops::BwdData::primitive_desc pd;
    typename Ops::BwdData prim;
    // Its own g only when there is no weight-gradient primitive (the matmul makes dw) or that one
    // wants g in another layout; otherwise g is converted once and read by both.
    std::optional<Port> g;
    Port w, dx;
    Args args;

    explicit BwdData(PlanT& p)
        : pd(make(p)), prim(pd), w(p.w_md_, pd.weights_desc(), true), dx(p.x_md_, pd.diff_src_desc(), false) {
      memory g_in;
      if (p.bw_ && pd.diff_dst_desc() == p.bw_->g.inner.get_desc()) {
        g_in = p.bw_->g.inner;
      } else {
        g.emplace(p.y_md_, pd.diff_dst_desc(), true);
        g_in = g->inner;
      }
      args = {{DNNL_ARG_DIFF_DST, g_in}, {DNNL_ARG_WEIGHTS, w.inner}, {DNNL_ARG_DIFF_SRC, dx.inner}};
    }
    static typename Ops::BwdData::primitive_desc make(const PlanT& p) {
      typename Ops::BwdData::desc d(Ops::alg, any(p.x_md_, written(p.x_md_, p.in_)), any(p.w_md_, p.in_), any(p.y_md_, p.in_),
                                    p.strides_, p.pad_l_, p.pad_r_);
      return typename Ops::BwdData::primitive_desc(d, cpu(), p.fwd_pd_);
    }
  };

  dt in_;
  dt weight_grad_in_;  // what the weight gradient reads x and g in (bf16_weight_grad)
  bool gemm_weight_grad_;  // the weight gradient is gemm_dw_'s matmul, not bw_'s primitive
  bool bf16_kernel_weight_grad_;  // the weight gradient is bf16_dw_'s kernel
  ConvSpec spec_;
  memory::desc x_md_, y_md_, w_md_, b_md_;
  memory::dims strides_, pad_l_, pad_r_;
  typename Ops::Fwd::primitive_desc fwd_pd_;
  typename Ops::Fwd fwd_;
  Port x_, w_, y_;
  memory b_;
  Args fwd_args_;
  std::optional<dnnl::primitive> epilogue_;  // bias / activation when not fused (deconvolution)
  Args epilogue_args_;
  std::optional<BwdWeights> bw_;
  std::optional<GemmWeightGrad> gemm_dw_;
  std::optional<Bf16WeightGrad> bf16_dw_;
  std::optional<BwdData> bd_;
  std::vector<float> g_;  // g when it has to be made from dy
};

// bf16 under a bf16 compute precision when oneDNN has real bf16 kernels for the shape, else fp32.
template <class Ops>
std::unique_ptr<Conv::Plan> make_dnnl_plan(const ConvSpec& s, int64_t batch) {
  if (compute_precision() == Precision::bf16) {
    auto p = std::make_unique<PlanT<Ops>>(s, batch, dt::bf16);
    if (p->native()) return p;
  }
  return std::make_unique<PlanT<Ops>>(s, batch, dt::f32);
}

}  // namespace

bool bf16_weight_grad(const ConvSpec& s) {
  if (gemm_weight_grad_suits(s)) return true;  // a matmul, bf16 like the others
  const bool strided = s.sh > 1 || s.sw > 1;
  // A transposed convolution's weight gradient is the convolution's with x and y exchanged (x
  // plays the output): the same shape rule on x, stride 1 only.
  if (s.transposed) return !strided && s.f >= 16 && s.h * s.w >= 49;
  return s.c >= 16 && s.out_h() * s.out_w() >= (strided ? 101 : 49);
}

Conv::Conv(const ConvSpec& spec) : spec_(spec) {
  require((!spec.blocked_x || takes_blocked()) && (!spec.blocked_y || gives_blocked()),
          "conv: the channel-blocked layout asked for a convolution that cannot use it");
  require((!spec.bf16_x || (spec.blocked_x && takes_bf16())) && (!spec.bf16_y || (spec.blocked_y && gives_bf16())),
          "conv: bf16 activations asked for a convolution that cannot use them");
}

bool Conv::takes_blocked() const { return spec_.c % kChannelBlock == 0; }
bool Conv::gives_blocked() const { return spec_.f % kChannelBlock == 0; }
// The direct kernels compute in fp32 (docs/precision.md: bf16 next to them cost quality).
bool Conv::takes_bf16() const { return takes_blocked() && !direct_suits(spec_) && !matmul_weight_grad(spec_); }
bool Conv::gives_bf16() const {
  return gives_blocked() && !direct_suits(spec_) && !spec_.transposed && !matmul_weight_grad(spec_);
}
Conv::~Conv() = default;
Conv::Conv(Conv&&) noexcept = default;
Conv& Conv::operator=(Conv&&) noexcept = default;

void Conv::forward(int64_t batch, const float* x, const float* w, const float* b, float* y) {
  // oneDNN fixes a primitive's thread split when it is made: a new thread count is a new plan.
  const PlanKey key{batch, omp_get_max_threads(), compute_precision()};
  auto it = plans_.find(key);
  if (it == plans_.end()) {
    std::unique_ptr<Plan> p;
    if (direct_blocked_suits(spec_))
      p = make_direct_blocked_plan(spec_, batch);
    else if (direct_suits(spec_))
      p = make_direct_plan(spec_, batch);
    else if (spec_.transposed)
      p = make_dnnl_plan<DeconvOps>(spec_, batch);
    else
      p = make_dnnl_plan<ConvOps>(spec_, batch);
    it = plans_.emplace(key, std::move(p)).first;
  }
  last_ = it->second.get();
  last_->forward(x, w, b, y);
}

void Conv::backward(const OutputGrad& g, const float* w, float* dw, float* db, float* dx) {
  last_->backward(g, w, dw, db, dx);
}

}  // namespace aekit::kernels
