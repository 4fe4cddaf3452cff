// Writing an ir::Model as a TensorFlow Lite model file (.tflite, schema
// version 3; the layout is described in importers/tflite/tflite_reader.h).
//
// What the writer decides rather than copies:
//  - buffer 0 is the empty sentinel; constant data and metadata get one
//    16-byte aligned buffer each, byte-identical blobs share one;
//  - operator codes are deduplicated per (op, custom name, version), with
//    builtin_code = op and deprecated_builtin_code = min(op, 127);
//  - an op's version is the higher of the one recorded in the IR and the one
//    TFLite's versioning rules require for its types and options (see
//    op_version.h), so the runtime picks a kernel that handles it;
//  - models whose data would push the FlatBuffer past its 2 GB limit keep
//    buffers after it (Buffer.offset/size), as TFLite does.
// A model carrying something the IR could not represent when it was read
// (ir::Operator::options_unsupported, ir::Model::unsupported_features) is
// refused with Unimplemented instead of being written without it.
#ifndef DETLITE_EXPORTERS_TFLITE_TFLITE_WRITER_H_
#define DETLITE_EXPORTERS_TFLITE_TFLITE_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite {

struct TfliteWriteOptions {
  // Store every buffer after the FlatBuffer even for a small model (the
  // writer does this on its own above 2 GB); for tests of that layout.
  bool external_buffers = false;
};

StatusOr<std::vector<uint8_t>> WriteTfliteBuffer(
    const ir::Model& model, const TfliteWriteOptions& options = {});

// Writes atomically (see core/file_io.h); errors start with `path`.
Status WriteTfliteFile(const ir::Model& model, const std::string& path,
                       const TfliteWriteOptions& options = {});

}  // namespace detlite

#endif  // DETLITE_EXPORTERS_TFLITE_TFLITE_WRITER_H_
