// TFLite_Detection_PostProcess as the Object Detection API's TF1 exporter
// (export_tflite_ssd_graph) appends it to tflite_graph.pb: a node of that op
// type reading (raw_outputs/box_encodings [1,N,4],
// raw_outputs/class_predictions [1,N,C(+1)], anchors [N,4] constant), with its
// settings as node attributes. It becomes TFLite's custom op of the same name,
// the attributes written as the FlexBuffer options TFLite's kernel reads. As in
// TFLite's kernel, detections_per_class (100) and use_regular_nms (false) may
// be absent; the other settings have no usable default there (a missing scale
// divides by zero), so a missing one is an error. Attributes only the TFLite
// converter reads (_output_quantized, _output_types, ...) are ignored.
#include <cmath>
#include <string>
#include <vector>

#include "importers/tf/graph_importer.h"
#include "importers/tf/graph_order.h"
#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"
#include "ir/detection_options.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

// Name of the node that produced input `i` ("raw_outputs/box_encodings").
std::string InputName(const tf::NodeDef& n, int i) {
  return i < n.input_size() ? ParseTensorName(n.input(i)).first : "?";
}

Status RequireAttrs(ImportContext& ctx, const tf::NodeDef& n) {
  std::string missing;
  for (const char* a :
       {"max_detections", "max_classes_per_detection", "nms_score_threshold",
        "nms_iou_threshold", "num_classes", "y_scale", "x_scale", "h_scale",
        "w_scale"}) {
    if (FindAttr(n, a) == nullptr)
      missing += (missing.empty() ? "" : ", ") + std::string(a);
  }
  if (missing.empty()) return Status::Ok();
  return ctx.NodeError(n.name(), n.op(), "lacks attribute(s) " + missing);
}

DetectionPostProcessParams ParamsFromAttrs(const tf::NodeDef& n) {
  DetectionPostProcessParams p;
  p.max_detections = static_cast<int>(AttrInt(n, "max_detections", 0));
  p.max_classes_per_detection =
      static_cast<int>(AttrInt(n, "max_classes_per_detection", 0));
  p.detections_per_class =
      static_cast<int>(AttrInt(n, "detections_per_class", 100));
  p.use_regular_nms = AttrBool(n, "use_regular_nms", false);
  p.nms_score_threshold = AttrFloat(n, "nms_score_threshold", 0.0f);
  p.nms_iou_threshold = AttrFloat(n, "nms_iou_threshold", 0.0f);
  p.num_classes = static_cast<int>(AttrInt(n, "num_classes", 0));
  p.y_scale = AttrFloat(n, "y_scale", 0.0f);
  p.x_scale = AttrFloat(n, "x_scale", 0.0f);
  p.h_scale = AttrFloat(n, "h_scale", 0.0f);
  p.w_scale = AttrFloat(n, "w_scale", 0.0f);
  return p;
}

Status CheckParams(ImportContext& ctx, const tf::NodeDef& n,
                   const DetectionPostProcessParams& p) {
  const auto bad = [&](const std::string& what) {
    return ctx.NodeError(n.name(), n.op(), what);
  };
  if (p.max_detections < 1 || p.max_detections > 100000)
    return bad("max_detections must be 1..100000");
  if (p.max_classes_per_detection < 1 ||
      p.max_classes_per_detection > p.num_classes) {
    return bad("max_classes_per_detection must be 1..num_classes");
  }
  if (p.detections_per_class < 1)
    return bad("detections_per_class must be at least 1");
  if (!(p.y_scale > 0) || !(p.x_scale > 0) || !(p.h_scale > 0) ||
      !(p.w_scale > 0)) {
    return bad("y_scale, x_scale, h_scale and w_scale must be positive");
  }
  if (!(p.nms_iou_threshold > 0 && p.nms_iou_threshold <= 1)) {
    return bad("nms_iou_threshold must be in (0, 1]");
  }
  if (std::isnan(p.nms_score_threshold))
    return bad("nms_score_threshold is NaN");
  return Status::Ok();
}

// The three inputs against each other and the attributes, with messages that
// name the nodes involved (the kernel's Prepare would only name shapes).
Status CheckInputs3(ImportContext& ctx, const tf::NodeDef& n,
                    const std::vector<int32_t>& in,
                    const DetectionPostProcessParams& p) {
  const ir::Tensor& boxes = ctx.tensor(in[0]);
  const ir::Tensor& classes = ctx.tensor(in[1]);
  const ir::Tensor& anchors = ctx.tensor(in[2]);
  const auto bad = [&](const std::string& what) {
    return ctx.NodeError(n.name(), n.op(), what);
  };
  if (!anchors.is_constant()) {
    return bad("anchors input '" + InputName(n, 2) +
               "' must be a constant (it is computed by the graph; freeze the "
               "anchors)");
  }
  if (anchors.dtype != DType::kFloat32 || anchors.shape.rank() != 2 ||
      anchors.shape.dim(1) != 4) {
    return bad("anchors input '" + InputName(n, 2) +
               "' must be float32 [num_anchors, 4], not " +
               std::string(DTypeName(anchors.dtype)) + " " +
               anchors.shape.ToString());
  }
  if (boxes.shape.rank() != 3 || boxes.shape.dim(0) != 1 ||
      boxes.shape.dim(2) < 4) {
    return bad("box encodings '" + InputName(n, 0) +
               "' must be [1, num_boxes, 4], not " + boxes.shape.ToString());
  }
  if (classes.shape.rank() != 3 || classes.shape.dim(0) != 1) {
    return bad("class predictions '" + InputName(n, 1) +
               "' must be [1, num_boxes, classes], not " +
               classes.shape.ToString());
  }
  const int64_t num_boxes = boxes.shape.dim(1);
  if (anchors.shape.dim(0) != num_boxes) {
    return bad("anchors '" + InputName(n, 2) + "' has " +
               std::to_string(anchors.shape.dim(0)) +
               " anchors but box encodings '" + InputName(n, 0) + "' have " +
               std::to_string(num_boxes) + " boxes");
  }
  if (classes.shape.dim(1) != num_boxes) {
    return bad("class predictions '" + InputName(n, 1) + "' have " +
               std::to_string(classes.shape.dim(1)) +
               " boxes but box encodings '" + InputName(n, 0) + "' have " +
               std::to_string(num_boxes));
  }
  const int64_t offset = classes.shape.dim(2) - p.num_classes;
  if (offset < 0 || offset > 1) {
    return bad("num_classes " + std::to_string(p.num_classes) +
               " does not fit class predictions '" + InputName(n, 1) +
               "' with " + std::to_string(classes.shape.dim(2)) +
               " columns (columns must be num_classes, or num_classes + 1 with "
               "background)");
  }
  return Status::Ok();
}

Outs DetectionPostProcess(ImportContext& ctx, const tf::NodeDef& n,
                          const std::vector<int32_t>& in) {
  if (in.size() != 3) {
    return ctx.NodeError(n.name(), n.op(),
                         "needs 3 inputs (box encodings, class predictions, "
                         "anchors), has " +
                             std::to_string(in.size()));
  }
  RETURN_IF_ERROR(RequireAttrs(ctx, n));
  const DetectionPostProcessParams p = ParamsFromAttrs(n);
  RETURN_IF_ERROR(CheckParams(ctx, n, p));
  RETURN_IF_ERROR(CheckInputs3(ctx, n, in, p));
  const DType f32 = DType::kFloat32;
  return ctx.EmitCustom(n.name(), kDetectionPostProcessOp,
                        ir::WriteDetectionOptions(p), in, {f32, f32, f32, f32});
}

}  // namespace

void AddDetectionMappers(OpMapperMap& m) {
  m[kDetectionPostProcessOp] = DetectionPostProcess;
}

}  // namespace detlite::tf_import
