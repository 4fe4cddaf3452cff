#include "api/import_ssd.h"

#include <cstdio>
#include <cstring>
#include <map>

#include "importers/odapi/ssd_decoder.h"
#include "importers/odapi/ssd_graph.h"

namespace detlite::api_internal {
namespace {

constexpr int kDtFloat = 1;

// [H, W] of the image: from --input-shape (for the cut tensor, the graph's
// image placeholder or the only input), else the placeholder's static shape.
StatusOr<std::pair<int, int>> ImageSize(const tf::GraphDef& graph, const ImportOptions& user,
                                        const odapi::SsdGraph& ssd, const std::string& file) {
  const std::string cut = tf_import::ParseTensorName(ssd.input).first;
  for (const std::string& key : {cut, ssd.image_placeholder, std::string()}) {
    auto it = user.input_shapes.find(key);
    if (it == user.input_shapes.end()) continue;
    if (it->second.size() != 4) {
      return InvalidArgument(file + ": --input-shape for the SSD's image must be 1,H,W,3");
    }
    return std::make_pair(static_cast<int>(it->second[1]), static_cast<int>(it->second[2]));
  }
  for (const tf::NodeDef& n : graph.node()) {
    if (n.name() != ssd.image_placeholder) continue;
    auto s = n.attr().find("shape");
    if (s == n.attr().end() || s->second.shape().dim_size() != 4) break;
    const int64_t h = s->second.shape().dim(1).size(), w = s->second.shape().dim(2).size();
    if (h > 0 && w > 0 && h <= 8192 && w <= 8192) {
      return std::make_pair(static_cast<int>(h), static_cast<int>(w));
    }
  }
  // The preprocessor's fixed_shape_resizer: a Resize* whose size is a Const.
  std::map<std::string, const tf::NodeDef*> nodes;
  for (const tf::NodeDef& n : graph.node()) nodes[n.name()] = &n;
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op().rfind("Resize", 0) != 0 || n.name().find("Preprocessor/") == std::string::npos ||
        n.input_size() < 2) {
      continue;
    }
    auto c = nodes.find(tf_import::ParseTensorName(n.input(1)).first);
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
    if (hw[0] > 0 && hw[1] > 0 && hw[0] <= 8192 && hw[1] <= 8192) return std::make_pair(hw[0], hw[1]);
  }
  return InvalidArgument(file + ": the SSD's input size is not fixed in the graph; give it with "
                         "--input-shape 1,H,W,3 (the pipeline's fixed_shape_resizer size)");
}

}  // namespace

std::function<Status(const tf::GraphDef&, tf_import::GraphImportOptions*)> SsdPrepareHook(
    const ImportOptions& user, const std::string& file, ImportReport::Ssd* out) {
  return [user, file, out](const tf::GraphDef& graph,
                           tf_import::GraphImportOptions* o) -> Status {
    if (!user.detect_ssd || !user.inputs.empty() || !user.outputs.empty()) return Status::Ok();
    if (!odapi::LooksLikeSsd(graph)) return Status::Ok();
    // A TF1 tflite_graph.pb already ends in TFLite's post-processing node,
    // with its own anchors: it imports as it is.
    for (const tf::NodeDef& n : graph.node()) {
      if (n.op() == "TFLite_Detection_PostProcess") return Status::Ok();
    }
    ASSIGN_OR_RETURN(odapi::SsdGraph ssd, odapi::FindSsdGraph(graph, file));
    ASSIGN_OR_RETURN(auto hw, ImageSize(graph, user, ssd, file));
    const std::string cut = tf_import::ParseTensorName(ssd.input).first;
    o->inputs = {ssd.input};
    tf_import::GraphImportOptions::InputSpec spec;
    spec.tf_dtype = kDtFloat;
    spec.dims = {1, hw.first, hw.second, 3};
    spec.known_rank = true;
    o->input_specs[cut] = spec;
    o->input_shapes.clear();
    o->outputs = {ssd.box_encodings, ssd.class_predictions};
    out->found = true;
    out->input = ssd.input;
    out->box_encodings = ssd.box_encodings;
    out->class_predictions = ssd.class_predictions;
    out->num_predictors = ssd.num_predictors;
    out->input_height = hw.first;
    out->input_width = hw.second;
    ASSIGN_OR_RETURN(out->anchors, odapi::FindDecodeAnchors(graph, 0, file, &out->anchors_source));
    if (out->anchors.empty()) {
      ASSIGN_OR_RETURN(out->anchors, odapi::FindCornerAnchors(graph, 0, file, &out->anchors_source));
    }
    out->box_scales =
        odapi::FindBoxScales(graph, ssd.box_encodings, out->anchors, &out->box_scales_source);
    out->score_converter = odapi::FindScoreConverter(graph, ssd.class_predictions);
    return Status::Ok();
  };
}

Status FinishSsdImport(ir::Model& model, const std::string& file, ImportReport::Ssd* ssd) {
  if (!ssd->found) return Status::Ok();
  ir::Subgraph& sg = model.subgraphs[0];
  if (sg.outputs.size() != 2) {
    return Internal(file + ": the SSD cut gave " + std::to_string(sg.outputs.size()) +
                    " outputs, expected 2");
  }
  const ir::Tensor boxes = sg.tensors[static_cast<size_t>(sg.outputs[0])];
  const Shape& s = boxes.shape;
  if (s.rank() == 4 && s.dim(2) == 1 && s.dim(3) == 4) {
    // [1, N, 1, 4] (the TF1 convolutional box predictor) -> [1, N, 4].
    ir::Tensor shape_t;
    shape_t.name = boxes.name + "/squeeze_shape";
    shape_t.dtype = DType::kInt32;
    shape_t.shape = Shape{3};
    const int32_t dims[3] = {s.dim(0), s.dim(1), 4};
    shape_t.data = std::make_shared<ir::Bytes>(reinterpret_cast<const uint8_t*>(dims),
                                               reinterpret_cast<const uint8_t*>(dims) + 12);
    ir::Tensor out = boxes;
    out.name = boxes.name + "/squeezed";
    out.shape = Shape{s.dim(0), s.dim(1), 4};
    const int32_t shape_i = sg.AddTensor(std::move(shape_t));
    const int32_t out_i = sg.AddTensor(std::move(out));
    ir::Operator op;
    op.kind = ir::OpKind::kReshape;
    op.inputs = {sg.outputs[0], shape_i};
    op.outputs = {out_i};
    op.options = ir::ReshapeOptions{{s.dim(0), s.dim(1), 4}};
    sg.ops.push_back(std::move(op));
    sg.outputs[0] = out_i;
  }
  const Shape& b = sg.tensors[static_cast<size_t>(sg.outputs[0])].shape;
  if (b.rank() != 3 || b.dim(2) != 4) {
    return InvalidArgument(file + ": the box encodings '" + ssd->box_encodings + "' have shape " +
                           b.ToString() + ", expected [1, N, 4]");
  }
  if (!ssd->anchors.empty() && static_cast<int64_t>(ssd->anchors.size()) != int64_t{b.dim(1)} * 4) {
    return InvalidArgument(file + ": the graph's decoder has " +
                           std::to_string(ssd->anchors.size() / 4) + " anchors (" +
                           ssd->anchors_source + ") but the box predictors give " +
                           std::to_string(b.dim(1)));
  }
  return Status::Ok();
}

std::string SsdSummary(const ImportReport::Ssd& ssd) {
  std::string line = "Object Detection API SSD: input '" + ssd.input + "' (normalized image 1x" +
                     std::to_string(ssd.input_height) + "x" + std::to_string(ssd.input_width) +
                     "x3), box encodings '" + ssd.box_encodings + "', class predictions '" +
                     ssd.class_predictions + "'; preprocessor and post-processor left out";
  if (!ssd.anchors.empty()) {
    line += "; " + std::to_string(ssd.anchors.size() / 4) + " anchors from " + ssd.anchors_source;
  } else {
    line += "; no anchors in the graph";
  }
  if (ssd.box_scales.size() == 4) {
    char scales[96];
    std::snprintf(scales, sizeof(scales), "%g,%g,%g,%g", ssd.box_scales[0], ssd.box_scales[1],
                  ssd.box_scales[2], ssd.box_scales[3]);
    line += "; box coder scales " + std::string(scales) + " from " + ssd.box_scales_source;
  }
  if (!ssd.score_converter.empty()) line += "; score converter " + ssd.score_converter;
  return line;
}

}  // namespace detlite::api_internal
