// Whole-file reads with a size cap, and atomic writes (temporary file in the
// same directory, then rename), so a failure never leaves a half-written file.
#ifndef DETLITE_CORE_FILE_IO_H_
#define DETLITE_CORE_FILE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detlite/status.h"

namespace detlite {

inline constexpr uint64_t kDefaultMaxFileBytes = 4ull << 30;  // 4 GiB

StatusOr<std::vector<uint8_t>> ReadFileBytes(
    const std::string& path, uint64_t max_bytes = kDefaultMaxFileBytes);
StatusOr<std::string> ReadFileText(const std::string& path,
                                   uint64_t max_bytes = kDefaultMaxFileBytes);

// Writes to "<path>.tmp.<pid>" then renames over `path`. On any error the
// temporary file is removed and `path` is left as it was. A killed
// writer's "<path>.tmp.<pid>" (no such process any more) is removed first.
Status WriteFileAtomic(const std::string& path, const void* data, size_t size);
inline Status WriteFileAtomic(const std::string& path,
                              const std::vector<uint8_t>& bytes) {
  return WriteFileAtomic(path, bytes.data(), bytes.size());
}
// Removes "<path>.tmp.<pid>" files whose process no longer exists.
void RemoveStaleTemporaries(const std::string& path);
inline Status WriteFileAtomic(const std::string& path, std::string_view text) {
  return WriteFileAtomic(path, text.data(), text.size());
}

// Refuses an output file path that is empty, an existing directory, or the
// same file (device and inode, so also through links and "./x") as one of
// `inputs`, or an existing file inside an input that is a directory (a
// dataset folder); `flag` names the option in the message ("--report").
Status CheckOutputPath(const std::string& flag, const std::string& path,
                       const std::vector<std::string>& inputs);
// Refuses an output directory path that is empty or names an existing file.
Status CheckOutputDirectory(const std::string& flag, const std::string& dir);

}  // namespace detlite

#endif  // DETLITE_CORE_FILE_IO_H_
