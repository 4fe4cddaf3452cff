// Run-time ISA dispatch (kernels/optimized/cpu.h): what cpuid reports is
// checked against the kernel's own view in /proc/cpuinfo, and the test hook
// forces and restores levels.
#include "kernels/optimized/cpu.h"

#include <gtest/gtest.h>

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
  const Isa want = f.avx512 ? Isa::kAvx512 : f.avx2_fma ? Isa::kAvx2 : Isa::kReference;
  EXPECT_EQ(SupportedIsa(), want);
}

TEST(CpuIsaTest, SupportedLevelsRunFromReferenceUp) {
  const std::vector<Isa> levels = SupportedIsas();
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.front(), Isa::kReference);
  EXPECT_EQ(levels.back(), SupportedIsa());
  EXPECT_EQ(levels.size(), static_cast<size_t>(SupportedIsa()) + 1);
}

TEST(CpuIsaTest, NamesRoundTrip) {
  for (Isa isa : {Isa::kReference, Isa::kAvx2, Isa::kAvx512}) {
    Isa parsed = Isa::kAvx512;
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
      ScopedIsa top(Isa::kAvx512);
      EXPECT_EQ(ActiveIsa(), SupportedIsa());
    }
    EXPECT_EQ(ActiveIsa(), Isa::kReference);
  }
  EXPECT_EQ(ActiveIsa(), before);
}

}  // namespace
}  // namespace detlite::kernels::optimized
