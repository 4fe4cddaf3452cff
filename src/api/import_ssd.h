// The Object Detection API SSD path of ImportModel: recognizes an SSD graph
// (importers/odapi/ssd_graph.h), cuts it at the feature extractor's input and
// the box predictors' raw outputs, and afterwards shapes those outputs the
// way TFLite_Detection_PostProcess takes them ([1, N, 4] and [1, N, C]).
#ifndef DETLITE_API_IMPORT_SSD_H_
#define DETLITE_API_IMPORT_SSD_H_

#include <string>

#include "detlite/import.h"
#include "importers/tf/graph_importer.h"
#include "ir/graph.h"

namespace detlite::api_internal {

// A prepare hook for tf_import::GraphImportOptions that takes the SSD path
// when `user` sets no inputs/outputs of its own and the graph is an SSD;
// what it found goes to *ssd (which must outlive the import).
std::function<Status(const tf::GraphDef&, tf_import::GraphImportOptions*)> SsdPrepareHook(
    const ImportOptions& user, const std::string& file, ImportReport::Ssd* ssd);

// After import: reshapes a [1, N, 1, 4] box output to [1, N, 4] and checks
// the graph's anchors (if any) match N.
Status FinishSsdImport(ir::Model& model, const std::string& file, ImportReport::Ssd* ssd);

// One line for the import log: the cut, the input size, the anchors, box
// coder scales and score converter found in the graph.
std::string SsdSummary(const ImportReport::Ssd& ssd);

}  // namespace detlite::api_internal

#endif  // DETLITE_API_IMPORT_SSD_H_
