#include "runtime/thread_pool.h"

#include <algorithm>
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

// A share word: generation (16 bits), first and end index (24 bits each).
constexpr int kIndexBits = 24;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
constexpr uint32_t kGenerationMask = 0xffff;

inline uint64_t ShareWord(uint32_t gen, uint64_t begin, uint64_t end) {
  return (uint64_t{gen & kGenerationMask} << (2 * kIndexBits)) |
         (begin << kIndexBits) | end;
}
inline uint32_t ShareGen(uint64_t w) {
  return static_cast<uint32_t>(w >> (2 * kIndexBits));
}
inline uint32_t ShareBegin(uint64_t w) {
  return static_cast<uint32_t>((w >> kIndexBits) & kIndexMask);
}
inline uint32_t ShareEnd(uint64_t w) {
  return static_cast<uint32_t>(w & kIndexMask);
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

ThreadPool::ThreadPool(int num_threads)
    : shares_(std::make_unique<Share[]>(
          static_cast<size_t>(std::max(num_threads, 1)))) {
  for (int i = 1; i < num_threads; ++i) {
    workers_.emplace_back([this, i] { WorkerLoop(i); });
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

bool ThreadPool::Claim(Share& share, uint32_t gen, bool front, uint32_t* index) {
  uint64_t w = share.word.load(std::memory_order_acquire);
  while (ShareGen(w) == gen && ShareBegin(w) < ShareEnd(w)) {
    const uint32_t begin = ShareBegin(w), end = ShareEnd(w);
    const uint64_t rest = front ? ShareWord(gen, begin + 1, end) : ShareWord(gen, begin, end - 1);
    if (share.word.compare_exchange_weak(w, rest, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
      *index = front ? begin : end - 1;
      return true;
    }
  }
  return false;
}

void ThreadPool::Drain(int self, uint32_t gen) {
  // A claimed index of job gen keeps the job (and fn_) alive until it is
  // done: pending_ cannot reach 0 before.
  auto run = [&](uint32_t i) {
    (*fn_.load(std::memory_order_relaxed))(static_cast<int>(i));
    if (pending_.fetch_sub(1) == 1 && caller_parked_.load()) {
      { std::lock_guard<std::mutex> lock(mu_); }
      done_cv_.notify_one();
    }
  };
  uint32_t i = 0;
  while (Claim(shares_[static_cast<size_t>(self)], gen, /*front=*/true, &i)) run(i);
  const int threads = num_threads();
  for (int k = 1; k < threads; ++k) {
    Share& other = shares_[static_cast<size_t>((self + k) % threads)];
    while (Claim(other, gen, /*front=*/false, &i)) run(i);
  }
}

void ThreadPool::WorkerLoop(int self) {
  uint32_t seen = 0;
  while (true) {
    auto has_work = [&] {
      return stop_.load(std::memory_order_relaxed) ||
             generation_.load(std::memory_order_acquire) != seen;
    };
    if (!SpinUntil(has_work)) {
      std::unique_lock<std::mutex> lock(mu_);
      sleepers_.fetch_add(1);
      work_cv_.wait(lock, [&] {
        return stop_.load() || generation_.load() != seen;
      });
      sleepers_.fetch_sub(1);
    }
    if (stop_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    Drain(self, seen);
  }
}

void ThreadPool::Run(int n, const std::function<void(int)>& fn) {
  if (n <= 0) return;
  if (workers_.empty() || n == 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  // A share holds 24-bit indices; larger jobs run as several.
  constexpr int kMaxJob = static_cast<int>(kIndexMask);
  if (n > kMaxJob) {
    for (int base = 0; base < n; base += kMaxJob) {
      const int count = std::min(kMaxJob, n - base);
      Run(count, [&](int i) { fn(base + i); });
    }
    return;
  }
  fn_.store(&fn, std::memory_order_relaxed);
  pending_.store(n);
  const uint32_t gen =
      (generation_.load(std::memory_order_relaxed) + 1) & kGenerationMask;
  const int threads = num_threads();
  for (int t = 0; t < threads; ++t) {
    const uint64_t begin = int64_t{n} * t / threads;
    const uint64_t end = int64_t{n} * (t + 1) / threads;
    shares_[static_cast<size_t>(t)].word.store(ShareWord(gen, begin, end),
                                               std::memory_order_release);
  }
  generation_.store(gen, std::memory_order_release);  // publishes the job
  if (sleepers_.load() > 0) {
    // Taking the mutex orders this after a parking worker's check.
    { std::lock_guard<std::mutex> lock(mu_); }
    work_cv_.notify_all();
  }
  Drain(0, gen);
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
