// Plans where to cut an Object Detection API SSD graph before it is
// imported: at the feature extractor's input (the normalized image, fixed
// to 1xHxWx3) and the box predictors' raw outputs, and reads what the
// post-processing detlite re-attaches needs from the graph (anchors, box
// coder scales, score converter). Reads only the graph and plain shape
// hints; imports nothing.
#ifndef DETLITE_IMPORTERS_ODAPI_SSD_CUT_H_
#define DETLITE_IMPORTERS_ODAPI_SSD_CUT_H_

#include <optional>
#include <string>
#include <vector>

#include "core/shape_hints.h"
#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::odapi {

struct SsdCut {
  std::string input;             // tensor to feed the normalized image to
  std::string input_node;        // its node
  std::string box_encodings;     // raw outputs: box encodings, then
  std::string class_predictions; // class predictions
  int num_predictors = 0;
  int input_height = 0, input_width = 0;
  std::vector<float> anchors;  // (yc, xc, h, w) x N from the decoder; may be empty
  std::string anchors_source;
  std::vector<float> box_scales;  // (y, x, h, w); empty when not found
  std::string box_scales_source;
  std::string score_converter;  // "sigmoid", "softmax", "identity" or ""
};

// The cut for `graph`, or nullopt when it is not an SSD to cut (not an SSD,
// or a TF1 tflite_graph.pb that already ends in TFLite_Detection_PostProcess
// with its own anchors). The image size comes from `hints` (for the cut
// tensor, the graph's image placeholder, or the unnamed one), else the
// placeholder's static shape, else the preprocessor's fixed resize.
StatusOr<std::optional<SsdCut>> PlanSsdCut(const tf::GraphDef& graph, const ShapeHints& hints,
                                           const std::string& file);

}  // namespace detlite::odapi

#endif  // DETLITE_IMPORTERS_ODAPI_SSD_CUT_H_
