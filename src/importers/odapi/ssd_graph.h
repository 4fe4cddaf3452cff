// Finds the Object Detection API SSD structure in a TensorFlow graph
// (frozen GraphDef, SavedModel function after inlining, MetaGraphDef or
// TF.js graph), whatever exporter wrote it:
//   - the raw outputs: the two ConcatV2 nodes that join every box
//     predictor's Reshape, one of box encodings (predictor scopes
//     "BoxEncodingPredictor" / "BoxHead") and one of class predictions
//     ("ClassPredictor" / "ClassHead");
//   - the feature extractor's input: walking back from those concats, the
//     one tensor where the preprocessor (scope "Preprocessor", control flow,
//     TensorArray/TensorList) ends. The model is cut there: the preprocessor
//     (resize, x * 2/255 - 1) and the post-processor (decode, NMS in while
//     loops) are left out, and TFLite_Detection_PostProcess replaces the
//     latter, as the Object Detection API's own TFLite export does.
//   - constant anchors: exporters whose graph was constant-folded (Grappler,
//     e.g. TF.js graph models) keep the box decoder's per-anchor centers
//     and sizes as four [N] constants (".../Decode/
//     get_center_coordinates_and_sizes/{add, add_1, sub_1, sub}" = ycenter,
//     xcenter, height, width, in the order box_list.py computes them).
// Only names, op types and edges are read; nothing is imported here.
#ifndef DETLITE_IMPORTERS_ODAPI_SSD_GRAPH_H_
#define DETLITE_IMPORTERS_ODAPI_SSD_GRAPH_H_

#include <string>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::odapi {

struct SsdGraph {
  std::string input;              // tensor to feed the normalized image to
  std::string box_encodings;      // ConcatV2 of the box predictors
  std::string class_predictions;  // ConcatV2 of the class predictors
  int num_predictors = 0;         // feature maps joined by each concat
  std::string image_placeholder;  // the graph's own image input, if found
  std::vector<std::string> notes;
};

// Whether the graph looks like an Object Detection API SSD (has both
// predictor concats). Cheap: a scan over node names.
bool LooksLikeSsd(const tf::GraphDef& graph);

// The cut points, or NotFound / InvalidArgument naming what is missing or
// ambiguous (`file` starts the message).
StatusOr<SsdGraph> FindSsdGraph(const tf::GraphDef& graph, const std::string& file);

// The anchors (ycenter, xcenter, h, w per anchor, normalized) held as
// decoder constants, or an empty vector when the graph has none for
// `num_anchors` anchors (any count when num_anchors <= 0). *source names
// the scope they came from.
StatusOr<std::vector<float>> FindDecodeAnchors(const tf::GraphDef& graph, int64_t num_anchors,
                                               const std::string& file, std::string* source);

}  // namespace detlite::odapi

#endif  // DETLITE_IMPORTERS_ODAPI_SSD_GRAPH_H_
