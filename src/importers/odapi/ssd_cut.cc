#include "importers/odapi/ssd_cut.h"

#include <cstring>

#include "importers/odapi/graph_walk.h"
#include "importers/odapi/ssd_decoder.h"
#include "importers/odapi/ssd_graph.h"

namespace detlite::odapi {
namespace {

constexpr int kMaxSide = 8192;

bool FitsSide(int64_t h, int64_t w) { return h > 0 && w > 0 && h <= kMaxSide && w <= kMaxSide; }

// [H, W] of the image: a shape hint (for the cut tensor, the graph's image
// placeholder or the unnamed one), else the placeholder's static shape,
// else the preprocessor's fixed_shape_resizer (a Resize* of a Const size).
StatusOr<std::pair<int, int>> ImageSize(const tf::GraphDef& graph, const ShapeHints& hints,
                                        const SsdGraph& ssd, const std::string& file) {
  const std::vector<int32_t>* hint = FindShapeHint(hints, NodeOf(ssd.input), false);
  if (!hint) hint = FindShapeHint(hints, ssd.image_placeholder, true);
  if (hint) {
    if (hint->size() != 4 || !FitsSide((*hint)[1], (*hint)[2])) {
      return InvalidArgument(file + ": --input-shape for the SSD's image must be 1,H,W,3 (H and W "
                             "from 1 to " + std::to_string(kMaxSide) + ")");
    }
    return std::make_pair((*hint)[1], (*hint)[2]);
  }
  const NodeMap nodes = Nodes(graph);
  if (auto p = nodes.find(ssd.image_placeholder); p != nodes.end()) {
    auto s = p->second->attr().find("shape");
    if (s != p->second->attr().end() && s->second.shape().dim_size() == 4) {
      const int64_t h = s->second.shape().dim(1).size(), w = s->second.shape().dim(2).size();
      if (FitsSide(h, w)) return std::make_pair(static_cast<int>(h), static_cast<int>(w));
    }
  }
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op().rfind("Resize", 0) != 0 || n.name().find("Preprocessor/") == std::string::npos ||
        n.input_size() < 2) {
      continue;
    }
    auto c = nodes.find(NodeOf(n.input(1)));
    if (c == nodes.end() || c->second->op() != "Const") continue;
    auto v = c->second->attr().find("value");
    if (v == c->second->attr().end()) continue;
    const tf::TensorProto& t = v->second.tensor();
    int32_t hw[2] = {0, 0};
    if (t.int_val_size() == 2) {
      hw[0] = t.int_val(0), hw[1] = t.int_val(1);
    } else if (t.tensor_content().size() == 8) {
      std::memcpy(hw, t.tensor_content().data(), 8);
    }
    if (FitsSide(hw[0], hw[1])) return std::make_pair(hw[0], hw[1]);
  }
  return InvalidArgument(file + ": the SSD's input size is not fixed in the graph; give it with "
                         "--input-shape 1,H,W,3 (the pipeline's fixed_shape_resizer size)");
}

}  // namespace

StatusOr<std::optional<SsdCut>> PlanSsdCut(const tf::GraphDef& graph, const ShapeHints& hints,
                                           const std::string& file) {
  if (!LooksLikeSsd(graph)) return std::optional<SsdCut>();
  // A TF1 tflite_graph.pb already ends in TFLite's post-processing node,
  // with its own anchors: it imports as it is.
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op() == "TFLite_Detection_PostProcess") return std::optional<SsdCut>();
  }
  ASSIGN_OR_RETURN(SsdGraph ssd, FindSsdGraph(graph, file));
  ASSIGN_OR_RETURN(auto hw, ImageSize(graph, hints, ssd, file));
  SsdCut cut;
  cut.input = ssd.input;
  cut.input_node = NodeOf(ssd.input);
  cut.box_encodings = ssd.box_encodings;
  cut.class_predictions = ssd.class_predictions;
  cut.num_predictors = ssd.num_predictors;
  cut.input_height = hw.first;
  cut.input_width = hw.second;
  ASSIGN_OR_RETURN(cut.anchors, FindDecodeAnchors(graph, 0, file, &cut.anchors_source));
  if (cut.anchors.empty()) {
    ASSIGN_OR_RETURN(cut.anchors, FindCornerAnchors(graph, 0, file, &cut.anchors_source));
  }
  cut.box_scales = FindBoxScales(graph, ssd.box_encodings, cut.anchors, &cut.box_scales_source);
  cut.score_converter = FindScoreConverter(graph, ssd.class_predictions);
  return std::optional<SsdCut>(std::move(cut));
}

}  // namespace detlite::odapi
