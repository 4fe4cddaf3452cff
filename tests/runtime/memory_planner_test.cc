#include "runtime/memory_planner.h"

#include <gtest/gtest.h>

namespace detlite::runtime {
namespace {

bool Overlap(size_t a, size_t as, size_t b, size_t bs) { return a < b + bs && b < a + as; }

TEST(MemoryPlannerTest, DisjointLifetimesShareMemory) {
  // A chain a -> b -> c -> d: a and c never live together, so they share.
  std::vector<BufferRequest> r = {{1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, 4}};
  size_t total = 0;
  auto off = PlanArena(r, &total);
  EXPECT_LE(total, 2 * 1024u);
  for (size_t i = 0; i < r.size(); ++i) {
    for (size_t j = i + 1; j < r.size(); ++j) {
      const bool live_together = r[i].first_use <= r[j].last_use && r[j].first_use <= r[i].last_use;
      if (live_together) {
        EXPECT_FALSE(Overlap(off[i], r[i].size, off[j], r[j].size)) << i << "," << j;
      }
    }
  }
}

TEST(MemoryPlannerTest, OverlappingLifetimesNeverAlias) {
  std::vector<BufferRequest> r;
  for (int i = 0; i < 50; ++i) {
    r.push_back({static_cast<size_t>(100 + (i * 37) % 500), i % 7, i % 7 + (i % 5)});
  }
  size_t total = 0;
  auto off = PlanArena(r, &total);
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(off[i] % kArenaAlignment, 0u);
    EXPECT_LE(off[i] + r[i].size, total);
    for (size_t j = i + 1; j < r.size(); ++j) {
      const bool live_together = r[i].first_use <= r[j].last_use && r[j].first_use <= r[i].last_use;
      if (live_together) {
        EXPECT_FALSE(Overlap(off[i], r[i].size, off[j], r[j].size));
      }
    }
  }
}

}  // namespace
}  // namespace detlite::runtime
