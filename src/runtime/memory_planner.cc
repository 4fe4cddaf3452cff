#include "runtime/memory_planner.h"

#include <algorithm>
#include <numeric>

namespace detlite::runtime {
namespace {

size_t AlignUp(size_t n) {
  return (n + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
}

}  // namespace

std::vector<size_t> PlanArena(const std::vector<BufferRequest>& requests,
                              size_t* arena_size) {
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return requests[a].size > requests[b].size;
  });
  std::vector<size_t> offsets(requests.size(), 0);
  std::vector<size_t> placed;  // indices already given an offset
  size_t total = 0;
  for (size_t idx : order) {
    const BufferRequest& r = requests[idx];
    const size_t need = AlignUp(std::max<size_t>(r.size, 1));
    // Blocks of already-placed buffers alive at the same time, by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (size_t p : placed) {
      const BufferRequest& q = requests[p];
      if (q.first_use <= r.last_use && r.first_use <= q.last_use) {
        busy.emplace_back(offsets[p], offsets[p] + AlignUp(std::max<size_t>(q.size, 1)));
      }
    }
    std::sort(busy.begin(), busy.end());
    size_t candidate = 0;
    for (const auto& [begin, end] : busy) {
      if (candidate + need <= begin) break;
      candidate = std::max(candidate, end);
    }
    offsets[idx] = candidate;
    total = std::max(total, candidate + need);
    placed.push_back(idx);
  }
  *arena_size = total;
  return offsets;
}

}  // namespace detlite::runtime
