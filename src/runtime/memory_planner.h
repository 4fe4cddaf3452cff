// Places the interpreter's non-constant tensors in one arena so that tensors
// whose lifetimes do not overlap share memory (greedy: each buffer at the
// lowest offset that clashes with no placed, overlapping buffer; a few
// orders, largest first among them, and the smallest arena wins).
#ifndef DETLITE_RUNTIME_MEMORY_PLANNER_H_
#define DETLITE_RUNTIME_MEMORY_PLANNER_H_

#include <cstddef>
#include <vector>

namespace detlite::runtime {

struct BufferRequest {
  size_t size = 0;
  int first_use = 0;  // step that writes it (inclusive)
  int last_use = 0;   // last step that reads it (inclusive)
};

inline constexpr size_t kArenaAlignment = 64;

// Returns one offset per request; *arena_size is the bytes needed.
std::vector<size_t> PlanArena(const std::vector<BufferRequest>& requests,
                              size_t* arena_size);

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_MEMORY_PLANNER_H_
