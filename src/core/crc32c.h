// CRC-32C (Castagnoli), as used by TFRecord files and TensorFlow's tensor
// bundles, plus the "masked" form those formats store. Debian 12 ships no C or
// C++ CRC-32C library, so this small table-driven one lives here.
#ifndef DETLITE_CORE_CRC32C_H_
#define DETLITE_CORE_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace detlite::crc32c {

// Continues a CRC-32C over `data`; start with crc = 0.
uint32_t Extend(uint32_t crc, const void* data, size_t size);
inline uint32_t Value(const void* data, size_t size) { return Extend(0, data, size); }

// TensorFlow stores CRCs masked (rotated right by 15 and offset) so that a
// CRC over data that itself contains CRCs stays well distributed.
inline uint32_t Mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace detlite::crc32c

#endif  // DETLITE_CORE_CRC32C_H_
