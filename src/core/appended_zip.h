// A zip archive appended to another file, as TFLite's metadata writer stores
// a model's associated files (label maps) after the flatbuffer. The
// archive's offsets are absolute in the file, so moving it means rewriting
// them. Only what that use needs: no ZIP64, no multi-disk archives.
#ifndef DETLITE_CORE_APPENDED_ZIP_H_
#define DETLITE_CORE_APPENDED_ZIP_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace detlite::zip {

// Where the archive at the end of `data` starts (its first local header),
// if `data` ends in a well-formed one whose entries all lie inside `data`.
std::optional<size_t> FindAppendedZip(const uint8_t* data, size_t size);

// The archive `zip` (bytes from its start to the end of the file it was cut
// from) with its offsets rewritten from `old_start` to `new_start`. nullopt
// if it is not well formed.
std::optional<std::vector<uint8_t>> Relocate(const std::vector<uint8_t>& zip, size_t old_start,
                                             size_t new_start);

// Files stored without compression or deflated (Ultralytics writes its
// metadata.json deflated) in an archive whose offsets count from `start` (0
// for one relocated to 0), by name. Entries over kMaxFileBytes, other
// compression methods and entries that do not inflate to their recorded size
// are left out.
inline constexpr size_t kMaxFileBytes = 16 << 20;
std::map<std::string, std::vector<uint8_t>> StoredFiles(const std::vector<uint8_t>& zip,
                                                        size_t start);

}  // namespace detlite::zip

#endif  // DETLITE_CORE_APPENDED_ZIP_H_
