// MergeSweeps: the trial files (and converted models) of several sweep
// directories of one plan, gathered into one.
#include <filesystem>

#include "core/file_io.h"
#include "detlite/sweep.h"

namespace detlite {

StatusOr<std::vector<TrialResult>> MergeSweeps(const std::vector<std::string>& dirs,
                                               const std::string& out_dir) {
  namespace fs = std::filesystem;
  if (dirs.empty()) return InvalidArgument("sweep merge: give at least one sweep directory");
  std::error_code ec;
  for (const std::string& d : dirs) {
    if (!fs::is_directory(d + "/trials", ec)) {
      return NotFound(d + ": not a sweep directory (no trials/ folder)");
    }
  }
  ASSIGN_OR_RETURN(std::vector<TrialResult> results, ReadTrialResults(dirs));
  RETURN_IF_ERROR(CheckOutputDirectory("-o", out_dir));
  fs::create_directories(out_dir + "/trials", ec);
  fs::create_directories(out_dir + "/models", ec);
  if (!fs::is_directory(out_dir + "/models", ec)) return IoError(out_dir + ": cannot create directory");
  for (const TrialResult& r : results) {
    RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/trials/" + r.id + ".json", TrialResultJson(r)));
    if (r.status != "ok") continue;
    const std::string dst = out_dir + "/" + r.model_file;
    for (const std::string& d : dirs) {
      const std::string src = d + "/" + r.model_file;
      if (!fs::exists(src, ec) || fs::equivalent(src, dst, ec)) continue;
      ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(src));
      if (static_cast<int64_t>(bytes.size()) != r.file_bytes) continue;
      RETURN_IF_ERROR(WriteFileAtomic(dst, bytes));
      break;
    }
  }
  return results;
}

}  // namespace detlite
