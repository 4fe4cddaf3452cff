// Run-time instruction set dispatch for the optimized kernels: cpuid is read
// once, and every kernel asks ActiveIsa() which code path to take. The level
// can be lowered (never raised beyond what the CPU and OS support) with the
// environment variable DETLITE_ISA=reference|avx2|avxvnni|avx512|avx512vnni,
// read once, or with
// ScopedIsa in tests. "reference" selects the portable C++ paths of the
// optimized kernels (no intrinsics); DETLITE_REFERENCE_KERNELS selects the
// reference kernels themselves (src/runtime/ops/conv_common.h).
#ifndef DETLITE_KERNELS_OPTIMIZED_CPU_H_
#define DETLITE_KERNELS_OPTIMIZED_CPU_H_

#include <string>
#include <vector>

namespace detlite::kernels::optimized {

// Ordered by preference, fastest last. kAvx2Vnni and kAvx512 each include
// kAvx2, and kAvx512Vnni includes kAvx512, so `isa >= Isa::kAvx512` asks "may
// use AVX-512"; but kAvx512 does not include kAvx2Vnni (AVX-512 CPUs without
// AVX-VNNI exist), so the supported levels are a set, not always a prefix.
// Float kernels use the AVX2 or AVX-512 code of a level; 8-bit convolutions
// use vpdpbusd at the two VNNI levels (qgemm.h).
enum class Isa {
  kReference = 0,   // portable C++
  kAvx2 = 1,        // AVX2 + FMA
  kAvx2Vnni = 2,    // AVX2 + FMA + AVX-VNNI (vpdpbusd on ymm)
  kAvx512 = 3,      // AVX-512 F + BW + VL (+ DQ)
  kAvx512Vnni = 4,  // AVX-512 + AVX512-VNNI (vpdpbusd on zmm)
};

// What cpuid (and XGETBV, for the OS saving the registers) reports.
struct CpuFeatures {
  bool avx2_fma = false;
  bool avx512 = false;  // F, BW, VL and DQ, with ZMM state enabled by the OS
  bool avx512_vnni = false;
  bool avx_vnni = false;
};

const CpuFeatures& DetectedCpu();

// Whether this machine runs `isa`.
bool IsaSupported(Isa isa);

// The highest level this machine runs.
Isa SupportedIsa();

// The highest level this machine runs that is not above `wanted`.
Isa ClampIsa(Isa wanted);

// The level kernels use now: SupportedIsa(), lowered by DETLITE_ISA or the
// innermost ScopedIsa (through ClampIsa).
Isa ActiveIsa();

const char* IsaName(Isa isa);
// "reference", "avx2", "avxvnni", "avx512", "avx512vnni" -> true and *isa;
// anything else false.
bool ParseIsa(const std::string& name, Isa* isa);

// Every level this machine supports, lowest first (tests run each).
std::vector<Isa> SupportedIsas();

// Test hook: forces ClampIsa(isa) until destroyed. Not
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
