#include "runtime/thread_pool.h"

namespace detlite::runtime {
namespace {

const kernels::optimized::Parallel& Serial() {
  static const kernels::optimized::Parallel serial;
  return serial;
}

thread_local const kernels::optimized::Parallel* current = nullptr;

}  // namespace

ThreadPool::ThreadPool(int num_threads) {
  for (int i = 1; i < num_threads; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

// Takes indices until none are left; called with mu_ held.
void ThreadPool::Drain() {
  while (next_ < count_) {
    const int i = next_++;
    const std::function<void(int)>* fn = fn_;
    mu_.unlock();
    (*fn)(i);
    mu_.lock();
    if (--pending_ == 0) done_cv_.notify_all();
  }
}

void ThreadPool::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  long seen = generation_;
  while (true) {
    work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    Drain();
  }
}

void ThreadPool::Run(int n, const std::function<void(int)>& fn) {
  if (n <= 0) return;
  if (workers_.empty() || n == 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  fn_ = &fn;
  next_ = 0;
  count_ = n;
  pending_ = n;
  ++generation_;
  work_cv_.notify_all();
  Drain();
  done_cv_.wait(lock, [&] { return pending_ == 0; });
  fn_ = nullptr;
}

const kernels::optimized::Parallel& CurrentParallel() {
  return current != nullptr ? *current : Serial();
}

ScopedParallel::ScopedParallel(ThreadPool* pool) : previous_(current) {
  if (pool != nullptr && pool->num_threads() > 1) {
    parallel_.num_threads = pool->num_threads();
    parallel_.run = [pool](int n, const std::function<void(int)>& fn) {
      pool->Run(n, fn);
    };
    current = &parallel_;
  }
}

ScopedParallel::~ScopedParallel() { current = previous_; }

}  // namespace detlite::runtime
