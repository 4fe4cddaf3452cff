// How the optimized kernels split work across threads without knowing about
// the runtime's thread pool: the caller supplies `run`, which calls fn(i) for
// every i in [0, n) (possibly concurrently) and returns when all are done.
#ifndef DETLITE_KERNELS_OPTIMIZED_PARALLEL_H_
#define DETLITE_KERNELS_OPTIMIZED_PARALLEL_H_

#include <algorithm>
#include <cstdint>
#include <functional>

namespace detlite::kernels::optimized {

struct Parallel {
  int num_threads = 1;
  std::function<void(int n, const std::function<void(int)>& fn)> run;
};

// Ranges per thread: the pool hands them out one at a time, so a thread that
// is descheduled (the machine is shared) or got slower ranges leaves the
// rest to the others, at the cost of a few more range set-ups.
inline constexpr int kRangesPerThread = 4;

// Splits [0, count) into contiguous ranges of at least min_per_task (at most
// kRangesPerThread per thread) and calls fn(begin, end) for each,
// concurrently when par.run is set.
template <typename Fn>
void ParallelRanges(const Parallel& par, int64_t count, int64_t min_per_task,
                    Fn&& fn) {
  int64_t tasks = std::min<int64_t>(int64_t{par.num_threads} * kRangesPerThread,
                                    count / std::max<int64_t>(min_per_task, 1));
  if (par.num_threads <= 1 || tasks <= 1 || !par.run) {
    if (count > 0) fn(int64_t{0}, count);
    return;
  }
  // Ranges of equal length within one, the longer ones spread out: the pool
  // gives each thread a contiguous run of tasks, and consecutive ops should
  // split their rows at the same places (each thread then reads the rows it
  // wrote itself, from its own cache), so no thread may collect the extras.
  par.run(static_cast<int>(tasks), [&](int i) {
    const int64_t begin = count * i / tasks;
    const int64_t end = count * (i + 1) / tasks;
    if (begin < end) fn(begin, end);
  });
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_PARALLEL_H_
