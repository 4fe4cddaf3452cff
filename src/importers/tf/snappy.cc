// Snappy's raw format (the framing-free one LevelDB tables use): a varint
// uncompressed length, then literals and back-references. Debian ships a
// snappy library, but the decoder is small enough that checking every
// length and offset ourselves is simpler than trusting one more dependency.
#include <cstdint>
#include <cstring>

#include "importers/tf/sstable.h"

namespace detlite::tf_import {

StatusOr<std::string> SnappyUncompress(std::string_view in, size_t max_size) {
  size_t pos = 0;
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= in.size() || shift > 35) return DataLoss("snappy: bad length header");
    const uint8_t b = static_cast<uint8_t>(in[pos++]);
    length |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (length > max_size) return DataLoss("snappy: declared length " + std::to_string(length) + " is too large");
  std::string out;
  out.reserve(static_cast<size_t>(length));
  while (pos < in.size()) {
    const uint8_t tag = static_cast<uint8_t>(in[pos++]);
    size_t len = 0, offset = 0;
    switch (tag & 3) {
      case 0: {  // literal
        len = tag >> 2;
        if (len >= 60) {
          const size_t extra = len - 59;
          if (pos + extra > in.size()) return DataLoss("snappy: truncated literal length");
          len = 0;
          for (size_t i = 0; i < extra; ++i) len |= static_cast<size_t>(static_cast<uint8_t>(in[pos + i])) << (8 * i);
          pos += extra;
        }
        len += 1;
        if (len > in.size() - pos || out.size() + len > length) return DataLoss("snappy: literal overruns");
        out.append(in.data() + pos, len);
        pos += len;
        continue;
      }
      case 1:
        if (pos + 1 > in.size()) return DataLoss("snappy: truncated copy");
        len = 4 + ((tag >> 2) & 7);
        offset = (static_cast<size_t>(tag >> 5) << 8) | static_cast<uint8_t>(in[pos]);
        pos += 1;
        break;
      case 2:
        if (pos + 2 > in.size()) return DataLoss("snappy: truncated copy");
        len = (tag >> 2) + 1;
        offset = static_cast<uint8_t>(in[pos]) | (static_cast<size_t>(static_cast<uint8_t>(in[pos + 1])) << 8);
        pos += 2;
        break;
      default:
        if (pos + 4 > in.size()) return DataLoss("snappy: truncated copy");
        len = (tag >> 2) + 1;
        offset = 0;
        for (int i = 0; i < 4; ++i) offset |= static_cast<size_t>(static_cast<uint8_t>(in[pos + i])) << (8 * i);
        pos += 4;
        break;
    }
    if (offset == 0 || offset > out.size() || out.size() + len > length) {
      return DataLoss("snappy: bad back-reference");
    }
    // Byte by byte: a copy may overlap the bytes it produces.
    const size_t from = out.size() - offset;
    for (size_t i = 0; i < len; ++i) out.push_back(out[from + i]);
  }
  if (out.size() != length) return DataLoss("snappy: output shorter than declared");
  return out;
}

}  // namespace detlite::tf_import
