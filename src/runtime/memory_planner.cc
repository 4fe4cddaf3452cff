#include "runtime/memory_planner.h"

#include <algorithm>
#include <numeric>

namespace detlite::runtime {
namespace {

size_t AlignUp(size_t n) {
  return (n + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
}

}  // namespace

// One greedy pass: buffers in `order`, each at the lowest offset that
// clashes with no placed, overlapping buffer.
std::vector<size_t> PlaceInOrder(const std::vector<BufferRequest>& requests,
                                 const std::vector<size_t>& order,
                                 size_t* arena_size) {
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

std::vector<size_t> PlanArena(const std::vector<BufferRequest>& requests,
                              size_t* arena_size) {
  // Greedy placement depends on the order; a few cheap orders are tried
  // and the smallest arena kept (the first, largest-first, is the
  // classic one, so the result is never worse than it).
  std::vector<size_t> by_size(requests.size());
  std::iota(by_size.begin(), by_size.end(), 0);
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t a, size_t b) {
    return requests[a].size > requests[b].size;
  });
  std::vector<size_t> by_area = by_size;  // size times lifetime
  std::stable_sort(by_area.begin(), by_area.end(), [&](size_t a, size_t b) {
    auto area = [&](size_t i) {
      return requests[i].size *
             static_cast<size_t>(requests[i].last_use - requests[i].first_use + 1);
    };
    return area(a) > area(b);
  });
  std::vector<size_t> by_life = by_size;  // longest-lived first, then size
  std::stable_sort(by_life.begin(), by_life.end(), [&](size_t a, size_t b) {
    return requests[a].last_use - requests[a].first_use >
           requests[b].last_use - requests[b].first_use;
  });
  std::vector<size_t> best = PlaceInOrder(requests, by_size, arena_size);
  for (const auto* order : {&by_area, &by_life}) {
    size_t size = 0;
    std::vector<size_t> offsets = PlaceInOrder(requests, *order, &size);
    if (size < *arena_size) {
      *arena_size = size;
      best = std::move(offsets);
    }
  }
  return best;
}

}  // namespace detlite::runtime
