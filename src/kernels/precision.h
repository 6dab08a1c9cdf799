// The compute precision of the products (kernels::gemm, kernels::Conv): fp32, or bf16 inputs
// with fp32 accumulation and fp32 results. Everything else (element-wise work, losses, weights,
// gradients, optimizer state) is fp32 whatever is chosen; docs/precision.md has the table.
//
// The precision belongs to the calling thread and is set for a scope (PrecisionScope): training
// sets it for its run, `eval` for its pass, so a server thread next to a bf16 training still
// computes in whatever its own scope says.
#pragma once
#include <optional>
#include <string>

namespace aekit::kernels {

enum class Precision { fp32, bf16 };

const char* precision_name(Precision p);
std::optional<Precision> parse_precision(const std::string& name);

// Whether oneDNN runs bf16 products natively here (AVX512_BF16 or AMX-BF16), as oneDNN sees the
// CPU: DNNL_MAX_CPU_ISA=AVX512_CORE (or lower) in the environment makes it say no.
bool cpu_has_bf16();

// `wanted`, or fp32 when it is bf16 and the CPU has no native bf16: oneDNN would emulate it many
// times slower. Then one line on stderr (once per process) says so, naming `doing` ("training").
Precision usable_precision(Precision wanted, const char* doing);

// The calling thread's compute precision (fp32 unless a PrecisionScope says otherwise).
Precision compute_precision();

// Sets the calling thread's compute precision to usable_precision(wanted, doing) until the end
// of the scope.
class PrecisionScope {
 public:
  PrecisionScope(Precision wanted, const char* doing);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;
  Precision active() const;

 private:
  Precision saved_;
};

}  // namespace aekit::kernels
