#include "ir/detection_options.h"

#include <flatbuffers/flexbuffers.h>

#include <string>

namespace detlite::ir {
namespace {

bool IsIntLike(const flexbuffers::Reference& r) {
  return r.IsInt() || r.IsUInt();
}

Status ReadInt(const flexbuffers::Map& m, const char* key, bool required, int* out) {
  const flexbuffers::Reference r = m[key];
  if (r.IsNull()) {
    if (required) return InvalidArgument(std::string("custom options lack '") + key + "'");
    return Status::Ok();
  }
  if (!IsIntLike(r)) {
    return InvalidArgument(std::string("custom option '") + key + "' is not an integer");
  }
  const int64_t v = r.AsInt64();
  if (v < INT32_MIN || v > INT32_MAX) {
    return InvalidArgument(std::string("custom option '") + key + "' is out of range");
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status ReadFloat(const flexbuffers::Map& m, const char* key, float* out) {
  const flexbuffers::Reference r = m[key];
  if (r.IsNull()) return InvalidArgument(std::string("custom options lack '") + key + "'");
  if (!r.IsFloat() && !IsIntLike(r)) {
    return InvalidArgument(std::string("custom option '") + key + "' is not a number");
  }
  *out = r.AsFloat();
  return Status::Ok();
}

}  // namespace

StatusOr<DetectionPostProcessParams> ParseDetectionOptions(
    const std::vector<uint8_t>& custom_options) {
  if (custom_options.empty()) return InvalidArgument("custom options are empty");
  if (!flexbuffers::VerifyBuffer(custom_options.data(), custom_options.size())) {
    return InvalidArgument("custom options are not a valid FlexBuffer");
  }
  const flexbuffers::Reference root =
      flexbuffers::GetRoot(custom_options.data(), custom_options.size());
  if (!root.IsMap()) return InvalidArgument("custom options are not a FlexBuffer map");
  const flexbuffers::Map m = root.AsMap();
  DetectionPostProcessParams p;
  RETURN_IF_ERROR(ReadInt(m, "max_detections", true, &p.max_detections));
  RETURN_IF_ERROR(ReadInt(m, "max_classes_per_detection", true, &p.max_classes_per_detection));
  RETURN_IF_ERROR(ReadInt(m, "detections_per_class", false, &p.detections_per_class));
  const flexbuffers::Reference regular = m["use_regular_nms"];
  if (!regular.IsNull()) {
    if (!regular.IsBool() && !IsIntLike(regular)) {
      return InvalidArgument("custom option 'use_regular_nms' is not a boolean");
    }
    p.use_regular_nms = regular.AsBool();
  }
  RETURN_IF_ERROR(ReadFloat(m, "nms_score_threshold", &p.nms_score_threshold));
  RETURN_IF_ERROR(ReadFloat(m, "nms_iou_threshold", &p.nms_iou_threshold));
  RETURN_IF_ERROR(ReadInt(m, "num_classes", true, &p.num_classes));
  RETURN_IF_ERROR(ReadFloat(m, "y_scale", &p.y_scale));
  RETURN_IF_ERROR(ReadFloat(m, "x_scale", &p.x_scale));
  RETURN_IF_ERROR(ReadFloat(m, "h_scale", &p.h_scale));
  RETURN_IF_ERROR(ReadFloat(m, "w_scale", &p.w_scale));
  if (p.max_detections < 0 || p.max_classes_per_detection < 1 || p.detections_per_class < 0 ||
      p.num_classes < 1) {
    return InvalidArgument(
        "custom options need max_detections >= 0, max_classes_per_detection >= 1, "
        "detections_per_class >= 0 and num_classes >= 1");
  }
  return p;
}

std::vector<uint8_t> WriteDetectionOptions(const DetectionPostProcessParams& p) {
  flexbuffers::Builder fbb;
  fbb.Map([&]() {
    fbb.Int("max_detections", p.max_detections);
    fbb.Int("max_classes_per_detection", p.max_classes_per_detection);
    fbb.Int("detections_per_class", p.detections_per_class);
    fbb.Bool("use_regular_nms", p.use_regular_nms);
    fbb.Float("nms_score_threshold", p.nms_score_threshold);
    fbb.Float("nms_iou_threshold", p.nms_iou_threshold);
    fbb.Int("num_classes", p.num_classes);
    fbb.Float("y_scale", p.y_scale);
    fbb.Float("x_scale", p.x_scale);
    fbb.Float("h_scale", p.h_scale);
    fbb.Float("w_scale", p.w_scale);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

}  // namespace detlite::ir
