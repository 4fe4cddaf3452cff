// A small fixed pool for intra-op parallelism. The interpreter owns one when
// InterpreterOptions::num_threads > 1 and installs it for the duration of
// Invoke (ScopedParallel), so kernels reach it through CurrentParallel()
// without the kernel API having to carry it.
#ifndef DETLITE_RUNTIME_THREAD_POOL_H_
#define DETLITE_RUNTIME_THREAD_POOL_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "kernels/optimized/parallel.h"

namespace detlite::runtime {

class ThreadPool {
 public:
  // num_threads counts the calling thread: 1 starts no workers.
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }
  // Calls fn(i) for i in [0, n), on the workers and the caller; returns when
  // all calls have finished. Not reentrant.
  void Run(int n, const std::function<void(int)>& fn);

 private:
  void WorkerLoop();
  void Drain();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  const std::function<void(int)>* fn_ = nullptr;
  int next_ = 0, count_ = 0, pending_ = 0;
  long generation_ = 0;
  bool stop_ = false;
};

// The parallelism kernels should use now: serial unless a ScopedParallel is
// active on this thread.
const kernels::optimized::Parallel& CurrentParallel();

class ScopedParallel {
 public:
  explicit ScopedParallel(ThreadPool* pool);  // null: serial
  ~ScopedParallel();

 private:
  const kernels::optimized::Parallel* previous_;
  kernels::optimized::Parallel parallel_;
};

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_THREAD_POOL_H_
