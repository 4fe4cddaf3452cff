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

// Splits [0, count) into at most par.num_threads contiguous ranges and calls
// fn(begin, end) for each, concurrently when par.run is set.
template <typename Fn>
void ParallelRanges(const Parallel& par, int64_t count, int64_t min_per_task,
                    Fn&& fn) {
  int64_t tasks = std::min<int64_t>(par.num_threads,
                                    count / std::max<int64_t>(min_per_task, 1));
  if (tasks <= 1 || !par.run) {
    if (count > 0) fn(int64_t{0}, count);
    return;
  }
  const int64_t per = (count + tasks - 1) / tasks;
  par.run(static_cast<int>(tasks), [&](int i) {
    const int64_t begin = i * per;
    const int64_t end = std::min(count, begin + per);
    if (begin < end) fn(begin, end);
  });
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_PARALLEL_H_
