// Reads the LevelDB-style table TensorFlow uses for a tensor bundle's
// variables.index (tsl/lib/io: format.cc, block.cc, table.cc). Layout:
//
//   [data block 0][trailer] ... [data block n][trailer]
//   [metaindex block][trailer][index block][trailer][footer]
//
// trailer = 1 byte compression type (0 none, 1 snappy) + 4 byte masked
//           CRC-32C of the block bytes and that type byte.
// footer  = 48 bytes: metaindex handle, index handle (each two varint64s:
//           offset, size), zero padding to 40 bytes, then the fixed64 magic
//           0xdb4775248b80fb57.
// block   = entries, then uint32 restart offsets, then uint32 restart count;
//           entry = varint32 shared key bytes, varint32 unshared key bytes,
//           varint32 value size, the unshared key bytes, the value.
// The index block maps a key >= each data block's last key to that block's
// handle. Every offset, size and CRC is checked before use.
#ifndef DETLITE_IMPORTERS_TF_SSTABLE_H_
#define DETLITE_IMPORTERS_TF_SSTABLE_H_

#include <map>
#include <string>
#include <string_view>

#include "detlite/status.h"

namespace detlite::tf_import {

// All key/value pairs of a table held in `file` (bytes of the whole file).
// `name` is used in error messages.
StatusOr<std::map<std::string, std::string>> ReadTable(std::string_view file,
                                                       const std::string& name);

// Snappy raw-format decompression (the table's compression type 1), with
// the declared length capped at `max_size`.
StatusOr<std::string> SnappyUncompress(std::string_view in, size_t max_size);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_SSTABLE_H_
