// Which share of a job (sweep trials, eval images) this process runs:
// --shard K/N, or what a cluster scheduler tells each task through its
// environment.
#include <cstdlib>
#include <string>

#include "detlite/shard.h"

namespace detlite {
namespace {

// A whole decimal number (no sign, no spaces), at most 1e9.
bool ParseCount(const std::string& s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

StatusOr<Shard> Checked(int index, int count, const std::string& what) {
  if (count < 1 || index < 1 || index > count) {
    return InvalidArgument(what + ": shard " + std::to_string(index) + " of " +
                           std::to_string(count) + " does not exist (K/N needs 1 <= K <= N)");
  }
  return Shard{index, count};
}

}  // namespace

StatusOr<Shard> ParseShard(const std::string& text) {
  const size_t slash = text.find('/');
  int k = 0, n = 0;
  if (slash == std::string::npos || !ParseCount(text.substr(0, slash), &k) ||
      !ParseCount(text.substr(slash + 1), &n)) {
    return InvalidArgument("--shard '" + text + "': expected K/N, e.g. 2/8 (1-based K)");
  }
  return Checked(k, n, "--shard " + text);
}

StatusOr<std::optional<Shard>> ShardFromEnvironment(std::string* source) {
  source->clear();
  if (const char* id = Env("SLURM_ARRAY_TASK_ID")) {
    const char* count = Env("SLURM_ARRAY_TASK_COUNT");
    const char* min = Env("SLURM_ARRAY_TASK_MIN");
    int k = 0, n = 0, lo = 0;
    if (!ParseCount(id, &k) || count == nullptr || !ParseCount(count, &n) ||
        (min != nullptr && !ParseCount(min, &lo))) {
      return InvalidArgument(
          "SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT / SLURM_ARRAY_TASK_MIN are not whole "
          "numbers (or the count is missing)");
    }
    *source = "SLURM_ARRAY_TASK_ID=" + std::string(id) + " of SLURM_ARRAY_TASK_COUNT=" + count;
    ASSIGN_OR_RETURN(Shard s, Checked(k - lo + 1, n, *source));
    return std::optional<Shard>(s);
  }
  if (const char* index = Env("JOB_COMPLETION_INDEX")) {
    const char* count = Env("DETLITE_SHARD_COUNT");
    int k = 0, n = 0;
    if (count == nullptr) {
      return InvalidArgument(
          "JOB_COMPLETION_INDEX is set but DETLITE_SHARD_COUNT is not: set it to the Job's "
          "completions (Kubernetes does not pass the count)");
    }
    if (!ParseCount(index, &k) || !ParseCount(count, &n)) {
      return InvalidArgument("JOB_COMPLETION_INDEX / DETLITE_SHARD_COUNT are not whole numbers");
    }
    *source = "JOB_COMPLETION_INDEX=" + std::string(index) + " of DETLITE_SHARD_COUNT=" + count;
    ASSIGN_OR_RETURN(Shard s, Checked(k + 1, n, *source));
    return std::optional<Shard>(s);
  }
  return std::optional<Shard>();
}

StatusOr<Shard> ChooseShard(const std::string& flag, std::string* source) {
  if (!flag.empty()) {
    *source = "--shard " + flag;
    return ParseShard(flag);
  }
  ASSIGN_OR_RETURN(std::optional<Shard> env, ShardFromEnvironment(source));
  return env.value_or(Shard{});
}

}  // namespace detlite
