// RunSweep: DIR/trials/<id>.json is the only state. A trial whose file
// exists is finished (resumed runs skip it); each file is written whole with
// a temporary name and a rename, so a killed process leaves none half-written.
#include <algorithm>
#include <filesystem>

#include "core/file_io.h"
#include "detlite/sweep.h"
#include "sweep/run_trial.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;

Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return IoError(dir + ": cannot create directory" + (ec ? ": " + ec.message() : ""));
  }
  return Status::Ok();
}

// DIR/trials/*.json in name order; missing folder = none.
StatusOr<std::vector<TrialResult>> ReadDir(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  const std::string trials = dir + "/trials";
  if (!fs::is_directory(trials, ec)) return std::vector<TrialResult>{};
  for (const auto& e : fs::directory_iterator(trials, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 5 && name.ends_with(".json") && name.find(".tmp.") == std::string::npos) {
      files.push_back(e.path().string());
    }
  }
  if (ec) return IoError(trials + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<TrialResult> out;
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(std::string text, ReadFileText(f, 16 << 20));
    ASSIGN_OR_RETURN(TrialResult r, ParseTrialResult(text, f));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<TrialResult>> ReadTrialResults(const std::vector<std::string>& dirs) {
  std::vector<TrialResult> all;
  std::string hash, hash_from;
  for (const std::string& dir : dirs) {
    ASSIGN_OR_RETURN(std::vector<TrialResult> rs, ReadDir(dir));
    for (TrialResult& r : rs) {
      if (hash.empty()) {
        hash = r.plan_hash;
        hash_from = dir + "/trials/" + r.id + ".json";
      } else if (r.plan_hash != hash) {
        return InvalidArgument(dir + "/trials/" + r.id + ".json: from another plan (plan hash " +
                               r.plan_hash + ", but " + hash_from + " has " + hash + ")");
      }
      auto same = std::find_if(all.begin(), all.end(),
                               [&](const TrialResult& o) { return o.id == r.id; });
      if (same == all.end()) {
        all.push_back(std::move(r));
      } else if (same->status != "ok" && r.status == "ok") {
        *same = std::move(r);
      }
    }
  }
  std::sort(all.begin(), all.end(),
            [](const TrialResult& a, const TrialResult& b) { return a.index < b.index; });
  return all;
}

StatusOr<SweepSummary> RunSweep(const SweepPlan& plan, const SweepOptions& options) {
  const std::string& dir = options.out_dir;
  RETURN_IF_ERROR(CheckOutputDirectory("-o", dir));
  RETURN_IF_ERROR(MakeDirs(dir + "/trials"));
  RETURN_IF_ERROR(MakeDirs(dir + "/models"));
  ASSIGN_OR_RETURN(std::vector<TrialResult> existing, ReadDir(dir));
  for (const TrialResult& r : existing) {
    if (r.plan_hash != plan.plan_hash) {
      return FailedPrecondition(dir + "/trials/" + r.id + ".json: from another plan (plan hash " +
                                r.plan_hash + ", " + plan.path + " has " + plan.plan_hash +
                                "); give a new -o directory");
    }
  }
  const std::vector<TrialSpec> trials = ExpandTrials(plan);
  std::vector<const TrialSpec*> todo;
  SweepSummary summary;
  summary.plan_hash = plan.plan_hash;
  summary.trials = static_cast<int>(trials.size());
  for (const TrialSpec& t : trials) {
    if (!options.shard.Contains(t.index)) continue;
    auto done = std::find_if(existing.begin(), existing.end(),
                             [&](const TrialResult& r) { return r.id == t.id; });
    if (done != existing.end() && (done->status == "ok" || !options.retry_failed)) {
      ++summary.skipped;
      continue;
    }
    todo.push_back(&t);
  }
  SweepProgress progress;
  progress.total = static_cast<int>(todo.size());
  progress.skipped = summary.skipped;
  if (options.progress) options.progress(progress);
  for (const TrialSpec* t : todo) {
    TrialResult r = sweep::RunTrial(plan, *t, dir, options);
    RETURN_IF_ERROR(WriteFileAtomic(dir + "/trials/" + t->id + ".json", TrialResultJson(r)));
    ++summary.ran;
    ++progress.done;
    progress.last = &r;
    if (options.progress) options.progress(progress);
    progress.last = nullptr;
  }
  ASSIGN_OR_RETURN(summary.results, ReadTrialResults({dir}));
  for (const TrialResult& r : summary.results) summary.failed += r.status == "ok" ? 0 : 1;
  return summary;
}

}  // namespace detlite
