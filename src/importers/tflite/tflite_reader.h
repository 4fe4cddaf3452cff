// Reading TensorFlow Lite model files (.tflite) into an ir::Model.
//
// The file format (schema version 3; our schema: schemas/tflite/tflite.fbs)
// -------------------------------------------------------------------------
// A .tflite file is one FlatBuffer whose root table is Model, tagged with the
// file identifier "TFL3" in bytes 4..7. Everything is little endian.
//
//   Model
//     version            must be 3
//     description        free text ("MLIR Converted.")
//     operator_codes[]   the distinct (op, custom name, version) triples;
//                        op = max(deprecated_builtin_code, builtin_code):
//                        the byte-wide old field holds min(op, 127), the
//                        int32 field the real code
//     subgraphs[]        subgraph 0 is the entry point
//       tensors[]        shape, type, buffer index, name, quantization
//                        (scale/zero_point per tensor or per axis along
//                        quantized_dimension), is_variable, sparsity,
//                        shape_signature (-1 = dynamic), has_rank
//       inputs[] outputs[]  tensor indices
//       operators[]      in execution order: opcode_index, inputs[] (-1 =
//                        optional input absent), outputs[], intermediates[],
//                        builtin_options (a union: type byte = position of
//                        the options table in the union's member list),
//                        custom_options (bytes, flexbuffer by convention)
//       name
//     buffers[]          constant bytes; buffers[0] is always empty so a
//                        tensor with buffer 0 has no data. Data is either
//                        inline (data[], 16-byte aligned) or, in files over
//                        2 GB, outside the FlatBuffer at absolute file
//                        offset `offset` (used when > 1) for `size` bytes
//     metadata[]         (name, buffer index) pairs: "min_runtime_version",
//                        "TFLITE_METADATA", "CONVERSION_METADATA", ...
//     metadata_buffer[]  older unnamed list of buffer indices
//     signature_defs[]   key, subgraph index, named input/output tensors
//
// A constant tensor's buffer holds product(shape) elements of its type, row
// major (int4: two per byte), or for a sparse tensor only the stored values
// in the order its sparsity metadata describes.
//
// Trust: none. The FlatBuffer is verified first (bounds of every table,
// vector and string, and the identifier), then every index, count and size
// is checked against what it refers to before use, so a truncated, corrupt
// or malicious file yields a Status naming the file and the problem, never
// a crash or an out-of-bounds read.
#ifndef DETLITE_IMPORTERS_TFLITE_TFLITE_READER_H_
#define DETLITE_IMPORTERS_TFLITE_TFLITE_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite {

// Parses `size` bytes at `data`. `name_for_errors` starts every error
// message (usually the file name). The bytes are copied; `data` need not
// outlive the call.
StatusOr<ir::Model> ReadTfliteBuffer(const uint8_t* data, size_t size,
                                     const std::string& name_for_errors);

// Reads and parses a file; errors start with the path's file name.
StatusOr<ir::Model> ReadTfliteFile(const std::string& path);

}  // namespace detlite

#endif  // DETLITE_IMPORTERS_TFLITE_TFLITE_READER_H_
