// Entry points of the TensorFlow importer, in two steps:
//   1. LoadTensorFlow: recognizes a frozen or plain GraphDef (.pb), a
//      SavedModel (directory or saved_model.pb, TF1 or TF2) and a
//      MetaGraphDef (.meta), and returns one TfGraph: the graph after
//      SavedModel function inlining, its variables and chosen signature.
//   2. ImportLoaded: imports a TfGraph cut where the caller says (by
//      default the signature's inputs and outputs).
// A caller that knows a model family (src/importers/odapi) plans the cut
// from the TfGraph between the two; this importer knows no family.
#ifndef DETLITE_IMPORTERS_TF_TF_IMPORT_H_
#define DETLITE_IMPORTERS_TF_TF_IMPORT_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "detlite/status.h"
#include "importers/tf/graph_importer.h"
#include "ir/graph.h"

namespace detlite::tf_import {

struct TfGraph {
  // After function inlining (TF2 SavedModels). Shared so that moving a
  // TfGraph never moves the nodes `variables` may point into.
  std::shared_ptr<const tf::GraphDef> graph;
  VariableResolver variables;  // values of the graph's variable nodes
  std::string file;            // the file errors name
  std::string format;          // "graphdef", "meta_graph", "saved_model", ...
  struct Signature {
    std::string key;  // empty: the model gets no signature
    // (signature key, tensor name), sorted by key.
    std::vector<std::pair<std::string, std::string>> inputs, outputs;
    // Declared type and (partial) shape of each input, by node name.
    std::map<std::string, GraphImportOptions::InputSpec> input_specs;
  } signature;
  std::vector<std::string> log;
};

struct TfLoadOptions {
  std::string signature_key;  // "serving_default" when empty and it exists, else the only one
  std::string tag = "serve";  // SavedModel meta graph tag
};

struct TfImportResult {
  ir::Model model;
  GraphImportStats stats;
  std::string format;
};

// Files larger than this are refused before parsing (protobuf's own limit
// is 2 GiB; detectors are far smaller).
inline constexpr uint64_t kMaxProtoFileBytes = uint64_t{1} << 30;

StatusOr<TfGraph> LoadTensorFlow(const std::string& path, const TfLoadOptions& options);

// Imports `g`. Empty options.inputs / outputs default to the signature's
// (each on its own); the model carries the signature only when both do.
// A cut input with a shape hint whose node declares its element type is
// not imported at all: what feeds it (often a preprocessing while loop
// detlite cannot map) is not needed.
StatusOr<TfImportResult> ImportLoaded(const TfGraph& g, const GraphImportOptions& options);

// A resolver for graphs that hold no variables; `why` ends the error.
VariableResolver NoVariables(const std::string& file, const std::string& why);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_TF_IMPORT_H_
