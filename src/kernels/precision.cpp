#include "kernels/precision.h"

#include <cstdio>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>

namespace aekit::kernels {
namespace {

thread_local Precision current = Precision::fp32;

}  // namespace

const char* precision_name(Precision p) { return p == Precision::bf16 ? "bf16" : "fp32"; }

std::optional<Precision> parse_precision(const std::string& name) {
  if (name == "fp32") return Precision::fp32;
  if (name == "bf16") return Precision::bf16;
  return std::nullopt;
}


bool cpu_has_bf16() {
  // oneDNN's ISA values nest: a CPU at or above AVX512_CORE_BF16 has every bit of it.
  static const bool has = [] {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
    return (isa & bf16) == bf16;
  }();
  return has;
}

Precision usable_precision(Precision wanted, const char* doing) {
  if (wanted == Precision::fp32 || cpu_has_bf16()) return wanted;
  static std::once_flag told;
  std::call_once(told, [doing] {
    std::fprintf(stderr,
                 "aekit: bf16 needs a CPU with AVX512_BF16 or AMX-BF16 (oneDNN sees neither here); %s in fp32\n",
                 doing);
  });
  return Precision::fp32;
}

Precision compute_precision() { return current; }

PrecisionScope::PrecisionScope(Precision wanted, const char* doing) : saved_(current) {
  current = usable_precision(wanted, doing);
}
PrecisionScope::~PrecisionScope() { current = saved_; }
Precision PrecisionScope::active() const { return current; }

}  // namespace aekit::kernels
