// The intra-op thread pool: every index runs exactly once per Run, Runs can
// follow each other, and ScopedParallel installs and restores the pool.
#include "runtime/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
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

// Jobs that follow each other at once (workers still spinning) and after a
// pause longer than the spin (workers parked on the condition variable):
// every index still runs exactly once, and no wake-up is lost (a lost one
// would hang here).
TEST(ThreadPoolTest, WakesSpinningAndParkedWorkers) {
  for (int threads : {2, 3}) {
    ThreadPool pool(threads);
    for (int round = 0; round < 60; ++round) {
      if (round % 10 == 9) {
        std::this_thread::sleep_for(
            std::chrono::microseconds(3 * ThreadPool::kSpinMicros));
      }
      const int n = 1 + round % 9;
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      std::atomic<int> busy{0};
      pool.Run(n, [&](int i) {
        // Some indices long enough that the caller waits for a worker.
        if (i == n - 1 && round % 3 == 0) {
          std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        hits[static_cast<size_t>(i)]++;
        busy++;
      });
      ASSERT_EQ(busy.load(), n);
      for (int i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)], 1);
    }
  }
}

// Ranges split finer than one per thread still cover [0, count) once.
TEST(ThreadPoolTest, ParallelRangesCoverEveryIndexOnce) {
  ThreadPool pool(2);
  ScopedParallel scope(&pool);
  for (int64_t count : {1, 2, 7, 8, 9, 100, 1001}) {
    for (int64_t min_per : {1, 3, 50}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
      kernels::optimized::ParallelRanges(
          CurrentParallel(), count, min_per, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
          });
      for (auto& h : hits) ASSERT_EQ(h.load(), 1) << count << " " << min_per;
    }
  }
}

}  // namespace
}  // namespace detlite::runtime
