#include "kernels/optimized/cpu.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define DETLITE_X86 1
#endif

namespace detlite::kernels::optimized {
namespace {

#ifdef DETLITE_X86
uint64_t ReadXcr0() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}
#endif

CpuFeatures Detect() {
  CpuFeatures f;
#ifdef DETLITE_X86
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool fma = c & (1u << 12);
  const bool osxsave = c & (1u << 27);
  const bool avx = c & (1u << 28);
  if (!osxsave || !avx) return f;
  const uint64_t xcr0 = ReadXcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;           // SSE + AVX state
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;         // + opmask, ZMM
  if (!ymm_state || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
  const bool avx2 = b & (1u << 5);
  f.avx2_fma = avx2 && fma;
  const bool avx512f = b & (1u << 16), avx512dq = b & (1u << 17);
  const bool avx512bw = b & (1u << 30), avx512vl = b & (1u << 31);
  f.avx512 = f.avx2_fma && zmm_state && avx512f && avx512dq && avx512bw &&
             avx512vl;
  f.avx512_vnni = f.avx512 && (c & (1u << 11));
  if (__get_cpuid_count(7, 1, &a, &b, &c, &d)) {
    f.avx_vnni = f.avx2_fma && (a & (1u << 4));
  }
#endif
  return f;
}

Isa FromEnvironment(Isa supported) {
  const char* v = std::getenv("DETLITE_ISA");
  Isa wanted = supported;
  if (v != nullptr && *v != '\0' && !ParseIsa(v, &wanted)) {
    std::fprintf(stderr,
                 "detlite: DETLITE_ISA=%s is not reference, avx2, avxvnni, "
                 "avx512 or avx512vnni; using %s\n",
                 v, IsaName(supported));
    wanted = supported;
  }
  return ClampIsa(wanted);
}

constexpr Isa kAllIsas[] = {Isa::kReference, Isa::kAvx2, Isa::kAvx2Vnni,
                            Isa::kAvx512, Isa::kAvx512Vnni};

// -1: no override; otherwise the forced Isa.
std::atomic<int> g_override{-1};

}  // namespace

const CpuFeatures& DetectedCpu() {
  static const CpuFeatures features = Detect();
  return features;
}

bool IsaSupported(Isa isa) {
  const CpuFeatures& f = DetectedCpu();
  switch (isa) {
    case Isa::kReference:
      return true;
    case Isa::kAvx2:
      return f.avx2_fma;
    case Isa::kAvx2Vnni:
      return f.avx2_fma && f.avx_vnni;
    case Isa::kAvx512:
      return f.avx512;
    case Isa::kAvx512Vnni:
      return f.avx512 && f.avx512_vnni;
  }
  return false;
}

Isa ClampIsa(Isa wanted) {
  Isa best = Isa::kReference;
  for (Isa i : kAllIsas) {
    if (i <= wanted && IsaSupported(i)) best = i;
  }
  return best;
}

Isa SupportedIsa() { return ClampIsa(Isa::kAvx512Vnni); }

Isa ActiveIsa() {
  static const Isa from_env = FromEnvironment(SupportedIsa());
  const int forced = g_override.load(std::memory_order_relaxed);
  return forced < 0 ? from_env : static_cast<Isa>(forced);
}

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kAvx512Vnni:
      return "avx512vnni";
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2Vnni:
      return "avxvnni";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kReference:
      break;
  }
  return "reference";
}

bool ParseIsa(const std::string& name, Isa* isa) {
  for (Isa i : kAllIsas) {
    if (name == IsaName(i)) {
      *isa = i;
      return true;
    }
  }
  return false;
}

std::vector<Isa> SupportedIsas() {
  std::vector<Isa> out;
  for (Isa i : kAllIsas) {
    if (IsaSupported(i)) out.push_back(i);
  }
  return out;
}

ScopedIsa::ScopedIsa(Isa isa)
    : previous_(g_override.exchange(static_cast<int>(ClampIsa(isa)))) {}

ScopedIsa::~ScopedIsa() { g_override.store(previous_); }

}  // namespace detlite::kernels::optimized
