// Which deterministic share of a job this process runs (sweep trials, eval
// images): --shard K/N, or what a cluster scheduler tells each task through
// its environment. Item i (0-based) belongs to shard K of N when
// i % N == K - 1.
#ifndef DETLITE_SHARD_H_
#define DETLITE_SHARD_H_

#include <cstdint>
#include <optional>
#include <string>

#include "detlite/status.h"

namespace detlite {

// "3/8" -> {3, 8}; refuses 0/0, 3/2, K < 1 and anything but two integers.
struct Shard {
  int index = 1;  // 1-based
  int count = 1;
  bool Contains(int64_t item_index) const { return item_index % count == index - 1; }
};
StatusOr<Shard> ParseShard(const std::string& text);
// When no --shard is given: SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT
// (with SLURM_ARRAY_TASK_MIN subtracted when set), else
// JOB_COMPLETION_INDEX (0-based) + DETLITE_SHARD_COUNT; *source says which
// ("" when none is set: the whole job).
StatusOr<std::optional<Shard>> ShardFromEnvironment(std::string* source);
// `flag` (the --shard text) when not empty, else the environment, else 1/1.
// *source names where the shard came from ("" for the default 1/1).
StatusOr<Shard> ChooseShard(const std::string& flag, std::string* source);

}  // namespace detlite

#endif  // DETLITE_SHARD_H_
