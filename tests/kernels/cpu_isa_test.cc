// Run-time ISA dispatch (kernels/optimized/cpu.h): what cpuid reports is
// checked against the kernel's own view in /proc/cpuinfo, and the test hook
// forces and restores levels.
#include "kernels/optimized/cpu.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace detlite::kernels::optimized {
namespace {

// The flags of the first processor in /proc/cpuinfo; empty if unreadable.
std::set<std::string> ProcCpuFlags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::set<std::string> flags;
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return {};
}

TEST(CpuIsaTest, CpuidAgreesWithProcCpuinfo) {
  const std::set<std::string> flags = ProcCpuFlags();
  if (flags.empty()) GTEST_SKIP() << "no /proc/cpuinfo flags";
  auto has = [&](const char* f) { return flags.count(f) > 0; };
  const CpuFeatures& f = DetectedCpu();
  EXPECT_EQ(f.avx2_fma, has("avx2") && has("fma"));
  EXPECT_EQ(f.avx512, f.avx2_fma && has("avx512f") && has("avx512bw") &&
                          has("avx512vl") && has("avx512dq"));
  EXPECT_EQ(f.avx512_vnni, f.avx512 && has("avx512_vnni"));
  EXPECT_EQ(f.avx_vnni, f.avx2_fma && has("avx_vnni"));
  EXPECT_TRUE(IsaSupported(Isa::kReference));
  EXPECT_EQ(IsaSupported(Isa::kAvx2), f.avx2_fma);
  EXPECT_EQ(IsaSupported(Isa::kAvx2Vnni), f.avx2_fma && f.avx_vnni);
  EXPECT_EQ(IsaSupported(Isa::kAvx512), f.avx512);
  EXPECT_EQ(IsaSupported(Isa::kAvx512Vnni), f.avx512 && f.avx512_vnni);
  const Isa want = f.avx512 && f.avx512_vnni ? Isa::kAvx512Vnni
                   : f.avx512                ? Isa::kAvx512
                   : f.avx2_fma && f.avx_vnni ? Isa::kAvx2Vnni
                   : f.avx2_fma              ? Isa::kAvx2
                                             : Isa::kReference;
  EXPECT_EQ(SupportedIsa(), want);
}

TEST(CpuIsaTest, SupportedLevelsRunFromReferenceUp) {
  const std::vector<Isa> levels = SupportedIsas();
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.front(), Isa::kReference);
  EXPECT_EQ(levels.back(), SupportedIsa());
  // Exactly the supported levels, in increasing order.
  size_t expected = 0;
  for (Isa i : {Isa::kReference, Isa::kAvx2, Isa::kAvx2Vnni, Isa::kAvx512,
                Isa::kAvx512Vnni}) {
    if (IsaSupported(i)) ++expected;
  }
  EXPECT_EQ(levels.size(), expected);
  EXPECT_TRUE(std::is_sorted(levels.begin(), levels.end()));
  for (Isa i : levels) EXPECT_TRUE(IsaSupported(i)) << IsaName(i);
}

// A level the machine lacks falls to the best supported one below it, never
// to one above.
TEST(CpuIsaTest, ClampPicksTheBestSupportedLevelBelow) {
  for (Isa wanted : {Isa::kReference, Isa::kAvx2, Isa::kAvx2Vnni, Isa::kAvx512,
                     Isa::kAvx512Vnni}) {
    const Isa got = ClampIsa(wanted);
    EXPECT_LE(got, wanted);
    EXPECT_TRUE(IsaSupported(got));
    if (IsaSupported(wanted)) {
      EXPECT_EQ(got, wanted);
    }
    for (Isa between : SupportedIsas()) {
      if (between <= wanted) {
        EXPECT_LE(between, got);
      }
    }
  }
}

TEST(CpuIsaTest, NamesRoundTrip) {
  for (Isa isa : {Isa::kReference, Isa::kAvx2, Isa::kAvx2Vnni, Isa::kAvx512,
                  Isa::kAvx512Vnni}) {
    Isa parsed = isa == Isa::kAvx512 ? Isa::kAvx2 : Isa::kAvx512;
    ASSERT_TRUE(ParseIsa(IsaName(isa), &parsed));
    EXPECT_EQ(parsed, isa);
  }
  Isa untouched = Isa::kAvx2;
  EXPECT_FALSE(ParseIsa("sse4", &untouched));
  EXPECT_FALSE(ParseIsa("", &untouched));
  EXPECT_EQ(untouched, Isa::kAvx2);
}

TEST(CpuIsaTest, ScopedIsaForcesClampsAndRestores) {
  const Isa before = ActiveIsa();
  {
    ScopedIsa reference(Isa::kReference);
    EXPECT_EQ(ActiveIsa(), Isa::kReference);
    {
      // Never above what the machine runs.
      ScopedIsa top(Isa::kAvx512Vnni);
      EXPECT_EQ(ActiveIsa(), SupportedIsa());
    }
    EXPECT_EQ(ActiveIsa(), Isa::kReference);
  }
  EXPECT_EQ(ActiveIsa(), before);
}

}  // namespace
}  // namespace detlite::kernels::optimized
