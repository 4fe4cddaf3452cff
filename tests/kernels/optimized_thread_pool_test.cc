// The intra-op thread pool: every index runs exactly once per Run, Runs can
// follow each other, and ScopedParallel installs and restores the pool.
#include "runtime/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace detlite::runtime {
namespace {

TEST(ThreadPoolTest, RunsEveryIndexOnce) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.num_threads(), 3);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + round % 17;
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    pool.Run(n, [&](int i) { hits[static_cast<size_t>(i)]++; });
    for (int i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)], 1) << round;
  }
}

TEST(ThreadPoolTest, ScopedParallelInstallsAndRestores) {
  EXPECT_EQ(CurrentParallel().num_threads, 1);
  ThreadPool pool(2);
  {
    ScopedParallel scope(&pool);
    EXPECT_EQ(CurrentParallel().num_threads, 2);
    std::atomic<int64_t> sum{0};
    kernels::optimized::ParallelRanges(
        CurrentParallel(), 1000, 1,
        [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) sum += i;
        });
    EXPECT_EQ(sum.load(), 999 * 1000 / 2);
  }
  EXPECT_EQ(CurrentParallel().num_threads, 1);
  ThreadPool single(1);
  ScopedParallel serial(&single);
  EXPECT_FALSE(static_cast<bool>(CurrentParallel().run));
}

}  // namespace
}  // namespace detlite::runtime
