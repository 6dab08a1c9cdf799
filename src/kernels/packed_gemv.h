// One sample through a dense layer whose weights are packed input-major:
//
//   y = act(W x + b),  W: [n, k] (the dense layer's layout), x: k floats, y: n floats
//
// A batch-1 dense forward reads every weight once for two flops, so its time is the time to
// stream the weights. Packing W^T into column blocks of at most kMaxVectors vectors, each stored
// [k][vectors * kLanes] (zero-padded), makes every thread's share one sequential stream that
// stays in its own L2 between calls, and keeps a block's sums in registers for the whole input.
// It also lets inputs equal to zero be skipped: their weight rows are never read. Images are
// mostly background (81 % of MNIST's pixels are 0) and about half of a relu layer's outputs are
// 0, so an encoder typically reads a fraction of its weights.
//
// The result is the dense product up to the order of the additions. NaN and infinite inputs
// are not skipped, so they propagate as in the dense product; the one difference is an
// infinite weight times a zero input (NaN there, skipped here).
//
// Under Precision::bf16 the weights and the input are rounded to bf16 and the products summed in
// fp32 (kernels/packed_gemv_bf16.h): half the bytes to stream. A bf16 request on a CPU without
// AVX512_BF16 packs fp32 (kernels::usable_precision says so once on stderr).
//
// The packed copy is a snapshot: later changes to W are not seen (models::FrozenEncoder).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/matmul.h"
#include "kernels/precision.h"
#include "tensor/tensor.h"

namespace aekit::kernels {

// A call that reads less than this much of the weights runs on the calling thread: waking a
// second thread costs 0.4 us on this machine when it is quiet and ~2 us when the virtual
// machine's other core is slow to answer, while one core streams ~100 KB per microsecond.
constexpr int64_t kParallelBytes = 384 * 1024;

class PackedGemv {
 public:
  PackedGemv() = default;
  // Packs W ([n, k]) and bias (n floats, or null for none) for up to `threads` threads, in
  // `precision` where the CPU runs it (else fp32).
  PackedGemv(const float* w, const float* bias, int64_t n, int64_t k, int threads,
             Precision precision = Precision::fp32);

  int64_t in() const { return k_; }
  int64_t out() const { return n_; }
  int threads() const { return threads_; }
  int64_t blocks() const { return static_cast<int64_t>(blocks_.size()); }
  Precision precision() const { return precision_; }

  // y = act(W x + b) with act none, relu or leaky_relu (slope alpha below 0), on the threads
  // when the inputs that are not zero make it read kParallelBytes or more. Not reentrant:
  // one PackedGemv serves one caller at a time (it keeps the list of nonzero inputs).
  void run(const float* x, float* y, Fused act, float alpha) const;

 private:
  struct Block {
    int64_t n0 = 0, n = 0;  // output columns [n0, n0 + n)
    int vectors = 0;        // ceil(n / lanes)
    // fp32: [k, vectors * lanes] floats; bf16: [ceil(k / 2), vectors * lanes] words of two bf16
    // held in a float Tensor's 32-bit slots (its 64-byte aligned storage). The bias is
    // [vectors * lanes] floats. Zero-padded; shared by copies (read only).
    std::shared_ptr<const Tensor> w, bias;
  };
  int64_t n_ = 0, k_ = 0;
  int threads_ = 1;
  Precision precision_ = Precision::fp32;
  std::vector<Block> blocks_;
  mutable std::vector<int32_t> nonzero_;
  mutable std::vector<uint32_t> pairs_;  // bf16: the input, two values per word

  void run_bf16(const float* x, float* y, Fused act, float alpha) const;
};

}  // namespace aekit::kernels
