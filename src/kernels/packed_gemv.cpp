#include "kernels/packed_gemv.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "kernels/packed_gemv_bf16.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace aekit::kernels {
namespace {

using namespace simd;

// Sums of a block live in registers: 32 vector registers with AVX-512, 16 otherwise, less one
// for the broadcast input and one for a loaded weight vector.
#ifdef __AVX512F__
constexpr int kMaxVectors = 26;
#else
constexpr int kMaxVectors = 12;
#endif

// Indices of the nonzero (or NaN) values of x[0, k); returns their count.
int64_t nonzero_indices(const float* x, int64_t k, int32_t* idx) {
  int64_t n = 0, i = 0;
#ifdef __AVX512F__
  __m512i ids = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (; i < k; i += 16) {
    const __mmask16 valid = k - i >= 16 ? 0xffff : static_cast<__mmask16>((1u << (k - i)) - 1);
    // Unordered not-equal: true for NaN, so a NaN input is kept and propagates.
    const __mmask16 m = _mm512_mask_cmp_ps_mask(valid, _mm512_maskz_loadu_ps(valid, x + i), _mm512_setzero_ps(),
                                                _CMP_NEQ_UQ);
    _mm512_mask_compressstoreu_epi32(idx + n, m, ids);
    n += __builtin_popcount(m);
    ids = _mm512_add_epi32(ids, _mm512_set1_epi32(16));
  }
#else
  for (; i < k; ++i) {  // branch-free: write every index, advance past the nonzero ones
    idx[n] = static_cast<int32_t>(i);
    n += !(x[i] == 0.0f);
  }
#endif
  return n;
}

// One block: y[n0, n0 + n) = act(b + sum over the inputs of x[i] * W^T[i, block]), over the
// listed inputs (Sparse) or all k of them. A narrow block keeps U sets of sums, so that its few
// chains of dependent FMAs do not leave the FMA units waiting on latency (a 400 -> 20 head has
// two vectors: one set would be latency-bound).
template <int V, Fused Act, bool Sparse>
void block_kernel(const float* w, const float* bias, const float* x, const int32_t* idx, int64_t count, float* y,
                  int64_t n, float alpha) {
  constexpr int64_t row = V * kLanes;
  constexpr int U = V >= 8 ? 1 : V >= 4 ? 2 : 4;
  vf acc[U][V] = {};
  for (int v = 0; v < V; ++v) acc[0][v] = load(bias + v * kLanes);
  auto add_row = [&](int u, int64_t j) {
    const int64_t i = Sparse ? idx[j] : j;
    const vf xi = splat(x[i]);
    const float* wi = w + i * row;
    for (int v = 0; v < V; ++v) acc[u][v] += xi * load(wi + v * kLanes);
  };
  int64_t j = 0;
  for (; j + U <= count; j += U)
    for (int u = 0; u < U; ++u) add_row(u, j + u);
  for (; j < count; ++j) add_row(0, j);
  for (int v = 0; v < V; ++v) {
    vf s = acc[0][v];
    for (int u = 1; u < U; ++u) s += acc[u][v];
    // Written so that NaN is kept (NaN <= 0 is false), as PyTorch's relu keeps it.
    if constexpr (Act == Fused::relu) s = s <= 0 ? 0 : s;
    if constexpr (Act == Fused::leaky_relu) s = s <= 0 ? s * alpha : s;
    const int64_t c0 = v * kLanes;
    if (c0 + kLanes <= n) {
      store(y + c0, s);
    } else {
      for (int64_t c = c0; c < n; ++c) y[c] = s[c - c0];
    }
  }
}

using BlockFn = void (*)(const float*, const float*, const float*, const int32_t*, int64_t, float*, int64_t, float);

template <Fused Act, bool Sparse, int... V>
constexpr std::array<BlockFn, sizeof...(V)> table(std::integer_sequence<int, V...>) {
  return {&block_kernel<V + 1, Act, Sparse>...};
}
template <bool Sparse>
constexpr std::array<std::array<BlockFn, kMaxVectors>, 3> tables() {
  constexpr auto v = std::make_integer_sequence<int, kMaxVectors>();
  return {table<Fused::none, Sparse>(v), table<Fused::relu, Sparse>(v), table<Fused::leaky_relu, Sparse>(v)};
}
constexpr auto kSparse = tables<true>();
constexpr auto kDense = tables<false>();

// Walking a list of inputs costs ~1.5x per input what walking all of them does (measured on
// Zen 5: the weight loads wait for their index), so the list is used below this density.
constexpr int64_t kSparseNumerator = 2, kSparseDenominator = 3;

}  // namespace

PackedGemv::PackedGemv(const float* w, const float* bias, int64_t n, int64_t k, int threads, Precision precision)
    : n_(n),
      k_(k),
      threads_(std::max(1, threads)),
      precision_(usable_precision(precision, "frozen encoding")),
      nonzero_(static_cast<size_t>(k) + kLanes) {
  if (n < 1 || k < 1) throw std::invalid_argument("PackedGemv: needs at least one input and one output");
  const bool bf16 = precision_ == Precision::bf16;
  const int64_t lanes = bf16 ? kBf16Lanes : kLanes;
  const int64_t max_vectors = bf16 ? kBf16MaxVectors : kMaxVectors;
  const int64_t pairs = (k + 1) / 2;
  if (bf16) pairs_.resize(static_cast<size_t>(pairs));
  // As few blocks as the register budget allows, in a multiple of the thread count, with the
  // vectors spread evenly (400 outputs on two threads: 13 + 12 vectors).
  const int64_t vectors = (n + lanes - 1) / lanes;
  int64_t count = std::max<int64_t>(threads_, (vectors + max_vectors - 1) / max_vectors);
  count = (count + threads_ - 1) / threads_ * threads_;
  count = std::min(count, std::max<int64_t>(1, vectors));
  threads_ = static_cast<int>(std::min<int64_t>(threads_, count));
  int64_t col = 0;
  for (int64_t b = 0; b < count; ++b) {
    Block blk;
    blk.vectors = static_cast<int>(vectors * (b + 1) / count - vectors * b / count);
    blk.n0 = col;
    blk.n = std::min<int64_t>(blk.vectors * lanes, n - col);
    const int64_t row = blk.vectors * lanes;
    auto packed = std::make_shared<Tensor>(Shape{bf16 ? pairs : k, row});  // zero-filled, 64-byte aligned
    auto packed_bias = std::make_shared<Tensor>(Shape{row});
    if (bf16) {
      auto* words = reinterpret_cast<uint32_t*>(packed->data());
      for (int64_t i = 0; i < k; ++i)
        for (int64_t c = 0; c < blk.n; ++c)
          words[(i / 2) * row + c] |= static_cast<uint32_t>(to_bf16(w[(blk.n0 + c) * k + i])) << (16 * (i % 2));
    } else {
      for (int64_t i = 0; i < k; ++i)
        for (int64_t c = 0; c < blk.n; ++c) (*packed)[i * row + c] = w[(blk.n0 + c) * k + i];
    }
    if (bias) std::copy(bias + blk.n0, bias + blk.n0 + blk.n, packed_bias->data());
    blk.w = std::move(packed), blk.bias = std::move(packed_bias);
    col += blk.n;
    blocks_.push_back(std::move(blk));
  }
}

void PackedGemv::run(const float* x, float* y, Fused act, float alpha) const {
  const int which = act == Fused::none ? 0 : act == Fused::relu ? 1 : act == Fused::leaky_relu ? 2 : -1;
  if (which < 0) throw std::invalid_argument("PackedGemv::run: only none, relu and leaky_relu are fused");
  if (precision_ == Precision::bf16) return run_bf16(x, y, act, alpha);
  int64_t count = nonzero_indices(x, k_, nonzero_.data());
  const bool sparse = count * kSparseDenominator < k_ * kSparseNumerator;
  if (!sparse) count = k_;
  const auto& fns = sparse ? kSparse[which] : kDense[which];
  const int32_t* idx = nonzero_.data();
  auto run_blocks = [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const Block& blk = blocks_[b];
      fns[blk.vectors - 1](blk.w->data(), blk.bias->data(), x, idx, count, y + blk.n0, blk.n, alpha);
    }
  };
  const int64_t nb = blocks();
  if (threads_ <= 1 || count * n_ * static_cast<int64_t>(sizeof(float)) < kParallelBytes) return run_blocks(0, nb);
  parallel_threads(threads_, 1, [&](int t, int T) { run_blocks(nb * t / T, nb * (t + 1) / T); });
}

void PackedGemv::run_bf16(const float* x, float* y, Fused act, float alpha) const {
  const int64_t pairs = static_cast<int64_t>(pairs_.size());
  pack_bf16_pairs(x, k_, pairs_.data());
  int64_t count = nonzero_pairs(pairs_.data(), pairs, nonzero_.data());
  const bool sparse = count * kSparseDenominator < pairs * kSparseNumerator;
  if (!sparse) count = pairs;
  const uint32_t* xp = pairs_.data();
  const int32_t* idx = nonzero_.data();
  auto run_blocks = [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const Block& blk = blocks_[b];
      bf16_block_fn(act, sparse, blk.vectors)(reinterpret_cast<const uint32_t*>(blk.w->data()), blk.bias->data(), xp,
                                              idx, count, y + blk.n0, blk.n, alpha);
    }
  };
  const int64_t nb = blocks();
  // Two inputs per 4-byte word: the bytes read are count * n * 4, as in fp32 for count inputs.
  if (threads_ <= 1 || count * n_ * static_cast<int64_t>(sizeof(uint32_t)) < kParallelBytes) return run_blocks(0, nb);
  parallel_threads(threads_, 1, [&](int t, int T) { run_blocks(nb * t / T, nb * (t + 1) / T); });
}

}  // namespace aekit::kernels
