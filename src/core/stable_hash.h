// A short content hash that is the same on every machine and build, for
// telling files and plans apart (sweep plans, eval part files). Not
// cryptographic: it detects mix-ups, not forgeries.
#ifndef DETLITE_CORE_STABLE_HASH_H_
#define DETLITE_CORE_STABLE_HASH_H_

#include <string>
#include <string_view>

namespace detlite {

// 64-bit FNV-1a of `text` as 16 hex digits.
std::string StableHash(std::string_view text);

}  // namespace detlite

#endif  // DETLITE_CORE_STABLE_HASH_H_
