// A small fixed pool for intra-op parallelism. The interpreter owns one when
// InterpreterOptions::num_threads > 1 and installs it for the duration of
// Invoke (ScopedParallel), so kernels reach it through CurrentParallel()
// without the kernel API having to carry it.
//
// A model runs a hundred parallel ops of 10-200 us each back to back, so the
// hand-off, not the work, decides the speedup for the small ones: waking a
// thread parked on a condition variable costs tens of microseconds. Workers
// therefore spin (pause loop) for a while after each job before parking,
// and the caller spins before parking while the last indices finish.
// Each thread first runs its own contiguous share of the indices, in order
// (thread t of T: [t n / T, (t + 1) n / T)), so consecutive ops split alike
// hand each thread the rows it wrote itself and the data stays in its
// core's cache (claiming indices from one shared counter instead left the
// depthwise convolutions of the SSD slower on 2 threads than on 1: each
// read rows the other core had just written). A thread whose share is done
// takes indices from the end of the others' shares, one at a time, so a
// thread that was descheduled (the machine is shared) leaves its remaining
// work to the others.
#ifndef DETLITE_RUNTIME_THREAD_POOL_H_
#define DETLITE_RUNTIME_THREAD_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
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

  // How long an idle thread spins before it parks (microseconds).
  static constexpr int kSpinMicros = 300;

 private:
  // One thread's unclaimed share of the current job: generation (16 bits),
  // first and end index (24 bits each) in one word, so an index is only
  // claimed for the job it belongs to. Own line, so claims by different
  // threads do not contend for one cache line.
  struct alignas(64) Share {
    std::atomic<uint64_t> word{0};
  };

  void WorkerLoop(int self);
  // Claims and runs indices of job `gen` until none are left: thread
  // `self`'s share from the front, then the others' from the back.
  void Drain(int self, uint32_t gen);
  // Takes the first (front) or last index left in `share` for job gen.
  bool Claim(Share& share, uint32_t gen, bool front, uint32_t* index);

  std::vector<std::thread> workers_;
  std::unique_ptr<Share[]> shares_;  // num_threads()
  std::atomic<uint32_t> generation_{0};  // of the current job (16 bits)
  std::atomic<int> pending_{0};  // indices of the current job not finished
  std::atomic<int> sleepers_{0};  // workers parked on work_cv_
  std::atomic<bool> caller_parked_{false};
  std::atomic<bool> stop_{false};
  // The current job, published by the stores to the shares (atomic because
  // it is written while a late worker may still be looking at the shares).
  std::atomic<const std::function<void(int)>*> fn_{nullptr};
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
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
