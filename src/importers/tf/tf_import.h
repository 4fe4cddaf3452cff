// Entry point of the TensorFlow importer: recognizes a frozen or plain
// GraphDef (.pb), a SavedModel (directory or saved_model.pb, TF1 or TF2) and
// a MetaGraphDef (.meta), and imports the graph with its variables.
#ifndef DETLITE_IMPORTERS_TF_TF_IMPORT_H_
#define DETLITE_IMPORTERS_TF_TF_IMPORT_H_

#include <string>

#include "detlite/status.h"
#include "importers/tf/graph_importer.h"
#include "ir/graph.h"

namespace detlite::tf_import {

struct TfImportOptions {
  GraphImportOptions graph;
  std::string signature_key;
  std::string tag = "serve";
};

struct TfImportResult {
  ir::Model model;
  GraphImportStats stats;
  std::string format;
};

// Files larger than this are refused before parsing (protobuf's own limit
// is 2 GiB; detectors are far smaller).
inline constexpr uint64_t kMaxProtoFileBytes = uint64_t{1} << 30;

StatusOr<TfImportResult> ImportTensorFlow(const std::string& path, const TfImportOptions& options);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_TF_IMPORT_H_
