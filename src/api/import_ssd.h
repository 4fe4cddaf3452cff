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

// Takes the SSD path when `user` asks for it, sets no inputs/outputs of its
// own and the graph is an SSD (importers/odapi/ssd_cut.h): sets *cut to the
// planned cut (input, its 1xHxWx3 shape, the two raw outputs) and returns
// what was found; ssd.found is false otherwise and *cut is left alone.
StatusOr<ImportReport::Ssd> PlanSsdImport(const tf::GraphDef& graph, const ImportOptions& user,
                                          const std::string& file,
                                          tf_import::GraphImportOptions* cut);

// After import: reshapes a [1, N, 1, 4] box output to [1, N, 4] and checks
// the graph's anchors (if any) match N.
Status FinishSsdImport(ir::Model& model, const std::string& file, ImportReport::Ssd* ssd);

// One line for the import log: the cut, the input size, the anchors, box
// coder scales and score converter found in the graph.
std::string SsdSummary(const ImportReport::Ssd& ssd);

}  // namespace detlite::api_internal

#endif  // DETLITE_API_IMPORT_SSD_H_
