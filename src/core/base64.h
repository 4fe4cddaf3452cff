// Standard base64 (RFC 4648, with padding), for embedding images in HTML.
#ifndef DETLITE_CORE_BASE64_H_
#define DETLITE_CORE_BASE64_H_

#include <cstdint>
#include <string>
#include <vector>

namespace detlite {

std::string Base64Encode(const std::vector<uint8_t>& bytes);

}  // namespace detlite

#endif  // DETLITE_CORE_BASE64_H_
