#include "core/stable_hash.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>

namespace detlite {

std::string StableHash(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, h);
  return buf;
}

}  // namespace detlite
