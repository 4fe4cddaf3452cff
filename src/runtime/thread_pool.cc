#include "runtime/thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace detlite::runtime {
namespace {

const kernels::optimized::Parallel& Serial() {
  static const kernels::optimized::Parallel serial;
  return serial;
}

thread_local const kernels::optimized::Parallel* current = nullptr;

inline void Pause() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

inline uint32_t Generation(uint64_t state) {
  return static_cast<uint32_t>(state >> 32);
}

// Spins until done() or kSpinMicros have passed; returns done().
template <typename Done>
bool SpinUntil(Done&& done) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      Clock::now() + std::chrono::microseconds(ThreadPool::kSpinMicros);
  while (true) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      Pause();
    }
    if (Clock::now() >= deadline) return done();
  }
}

}  // namespace

ThreadPool::ThreadPool(int num_threads) {
  for (int i = 1; i < num_threads; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  {
    std::lock_guard<std::mutex> lock(mu_);
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::Drain(uint32_t gen) {
  uint64_t s = state_.load(std::memory_order_acquire);
  while (true) {
    if (Generation(s) != gen) return;
    const uint32_t i = static_cast<uint32_t>(s);
    // count_ may already be the next job's if this one ended meanwhile; the
    // exchange below then fails, as the state moved on.
    if (i >= static_cast<uint32_t>(count_.load(std::memory_order_relaxed))) {
      return;
    }
    if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
      continue;  // s holds the new state
    }
    // Index i of job gen is ours: the job cannot end (nor fn_ change) before
    // it is done.
    (*fn_.load(std::memory_order_relaxed))(static_cast<int>(i));
    if (pending_.fetch_sub(1) == 1 && caller_parked_.load()) {
      { std::lock_guard<std::mutex> lock(mu_); }
      done_cv_.notify_one();
    }
    s = state_.load(std::memory_order_acquire);
  }
}

void ThreadPool::WorkerLoop() {
  uint32_t seen = 0;
  while (true) {
    auto has_work = [&] {
      return stop_.load(std::memory_order_relaxed) ||
             Generation(state_.load(std::memory_order_acquire)) != seen;
    };
    if (!SpinUntil(has_work)) {
      std::unique_lock<std::mutex> lock(mu_);
      sleepers_.fetch_add(1);
      work_cv_.wait(lock, [&] {
        return stop_.load() || Generation(state_.load()) != seen;
      });
      sleepers_.fetch_sub(1);
    }
    if (stop_.load()) return;
    seen = Generation(state_.load(std::memory_order_acquire));
    Drain(seen);
  }
}

void ThreadPool::Run(int n, const std::function<void(int)>& fn) {
  if (n <= 0) return;
  if (workers_.empty() || n == 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  fn_.store(&fn, std::memory_order_relaxed);
  count_.store(n, std::memory_order_relaxed);
  pending_.store(n);
  const uint32_t gen = Generation(state_.load()) + 1;
  state_.store(uint64_t{gen} << 32);  // publishes fn_ and count_
  if (sleepers_.load() > 0) {
    // Taking the mutex orders this after a parking worker's check.
    { std::lock_guard<std::mutex> lock(mu_); }
    work_cv_.notify_all();
  }
  Drain(gen);
  if (!SpinUntil([&] { return pending_.load() == 0; })) {
    std::unique_lock<std::mutex> lock(mu_);
    caller_parked_.store(true);
    done_cv_.wait(lock, [&] { return pending_.load() == 0; });
    caller_parked_.store(false);
  }
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
