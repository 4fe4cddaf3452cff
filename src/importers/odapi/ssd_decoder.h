// What the Object Detection API's post-processor in a TensorFlow graph says
// about the boxes, read from its structure (op types, edges and constants;
// scope names only break ties), so the post-processing detlite re-attaches
// decodes as the graph did:
//   - anchors held as one constant of corner boxes [..., N, 4] (ymin, xmin,
//     ymax, xmax, as BoxList stores them; e.g. TF1 graphs converted to
//     TF.js keep `Postprocessor/ExpandDims` [1, N, 4] and tile it per
//     image). The box decoder unstacks them (Unpack, num 4) after only
//     layout ops (Transpose, Reshape, Tile, ExpandDims, Squeeze, Identity);
//     they are returned in centre form (ycenter, xcenter, h, w), computed in
//     float32 as the decoder does (h = ymax - ymin, yc = ymin + h / 2);
//   - the box coder's scales: the decoder unstacks the raw box encodings
//     (ty, tx, th, tw) and divides each by its scale; a constant-folded
//     graph multiplies by the reciprocal instead (0.1 for 10);
//   - the score converter: the op the class predictions go through
//     (Sigmoid, Softmax; a tf.identity means none).
#ifndef DETLITE_IMPORTERS_ODAPI_SSD_DECODER_H_
#define DETLITE_IMPORTERS_ODAPI_SSD_DECODER_H_

#include <string>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::odapi {

// Anchors (ycenter, xcenter, h, w per anchor) from a constant of corner
// boxes the decoder unstacks; empty when the graph has none for
// `num_anchors` anchors (any count when <= 0). Two different such
// constants are an error naming both. *source names the constant.
StatusOr<std::vector<float>> FindCornerAnchors(const tf::GraphDef& graph, int64_t num_anchors,
                                               const std::string& file, std::string* source);

// The box coder's scales (y, x, h, w) applied to `box_encodings` (a tensor
// name) by the decoder, or empty when the graph divides them by nothing
// constant. *source names the Unpack the encodings come out of. A graph
// folded further multiplies ty and tx by one constant per anchor, the
// anchor's height / y_scale and width / x_scale: with `anchors` (centre
// form) the scales come from those, when every anchor agrees.
std::vector<float> FindBoxScales(const tf::GraphDef& graph, const std::string& box_encodings,
                                 const std::vector<float>& anchors, std::string* source);

// "sigmoid" or "softmax" when `class_predictions` go through that op
// before anything else (layout ops aside), "identity" when they go through
// a node named convert_scores that is an Identity, "" when unknown.
std::string FindScoreConverter(const tf::GraphDef& graph, const std::string& class_predictions);

}  // namespace detlite::odapi

#endif  // DETLITE_IMPORTERS_ODAPI_SSD_DECODER_H_
