#include "api/import_ssd.h"

#include <cstdio>
#include <optional>

#include "importers/odapi/ssd_cut.h"

namespace detlite::api_internal {
namespace {

constexpr int kDtFloat = 1;  // TensorFlow DT_FLOAT

}  // namespace

StatusOr<ImportReport::Ssd> PlanSsdImport(const tf::GraphDef& graph, const ImportOptions& user,
                                          const std::string& file,
                                          tf_import::GraphImportOptions* cut) {
  ImportReport::Ssd out;
  if (!user.detect_ssd || !user.inputs.empty() || !user.outputs.empty()) return out;
  ASSIGN_OR_RETURN(std::optional<odapi::SsdCut> plan,
                   odapi::PlanSsdCut(graph, user.input_shapes, file));
  if (!plan) return out;
  cut->inputs = {plan->input};
  cut->input_shapes = {{plan->input_node, {1, plan->input_height, plan->input_width, 3}}};
  tf_import::GraphImportOptions::InputSpec spec;  // float; the shape above
  spec.tf_dtype = kDtFloat;
  cut->input_specs = {{plan->input_node, spec}};
  cut->outputs = {plan->box_encodings, plan->class_predictions};
  out.found = true;
  out.input = plan->input;
  out.box_encodings = plan->box_encodings;
  out.class_predictions = plan->class_predictions;
  out.num_predictors = plan->num_predictors;
  out.input_height = plan->input_height;
  out.input_width = plan->input_width;
  out.anchors = std::move(plan->anchors);
  out.anchors_source = plan->anchors_source;
  out.box_scales = std::move(plan->box_scales);
  out.box_scales_source = plan->box_scales_source;
  if (!ParseSetting(plan->score_converter, &out.score_converter)) {
    out.score_converter = ScoreConverter::kAuto;
  }
  return out;
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
  if (ssd.score_converter != ScoreConverter::kAuto) {
    line += "; score converter " + std::string(NameOf(ssd.score_converter));
  }
  return line;
}

}  // namespace detlite::api_internal
