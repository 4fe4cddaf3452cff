// Run-time instruction set dispatch for the optimized kernels: cpuid is read
// once, and every kernel asks ActiveIsa() which code path to take. The level
// can be lowered (never raised beyond what the CPU and OS support) with the
// environment variable DETLITE_ISA=reference|avx2|avx512, read once, or with
// ScopedIsa in tests. "reference" selects the portable C++ paths of the
// optimized kernels (no intrinsics); DETLITE_REFERENCE_KERNELS selects the
// reference kernels themselves (src/runtime/ops/conv_common.h).
#ifndef DETLITE_KERNELS_OPTIMIZED_CPU_H_
#define DETLITE_KERNELS_OPTIMIZED_CPU_H_

#include <string>
#include <vector>

namespace detlite::kernels::optimized {

// Ordered: a higher level implies every lower one.
enum class Isa {
  kReference = 0,  // portable C++
  kAvx2 = 1,       // AVX2 + FMA
  kAvx512 = 2,     // AVX-512 F + BW + VL (+ DQ)
};

// What cpuid (and XGETBV, for the OS saving the registers) reports.
struct CpuFeatures {
  bool avx2_fma = false;
  bool avx512 = false;  // F, BW, VL and DQ, with ZMM state enabled by the OS
  bool avx512_vnni = false;
  bool avx_vnni = false;
};

const CpuFeatures& DetectedCpu();

// The highest level this machine runs.
Isa SupportedIsa();

// The level kernels use now: SupportedIsa(), lowered by DETLITE_ISA or the
// innermost ScopedIsa.
Isa ActiveIsa();

const char* IsaName(Isa isa);
// "reference", "avx2", "avx512" -> true and *isa; anything else false.
bool ParseIsa(const std::string& name, Isa* isa);

// Every level this machine supports, lowest first (tests run each).
std::vector<Isa> SupportedIsas();

// Test hook: forces `isa` (clamped to SupportedIsa()) until destroyed. Not
// thread-safe against kernels running concurrently on other threads.
class ScopedIsa {
 public:
  explicit ScopedIsa(Isa isa);
  ~ScopedIsa();
  ScopedIsa(const ScopedIsa&) = delete;
  ScopedIsa& operator=(const ScopedIsa&) = delete;

 private:
  int previous_;
};

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_CPU_H_
