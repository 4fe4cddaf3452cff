// TFLITE_DETECTION_POSTPROCESS (custom op "TFLite_Detection_PostProcess"):
// inputs box_encodings [1, B, >=4] (y, x, h, w first), class_predictions
// [1, B, C or C + 1], anchors [B, 4] (y, x, h, w), each float32 or uint8;
// outputs float32 boxes [1, K, 4] (ymin, xmin, ymax, xmax), classes [1, K],
// scores [1, K], count [1] with K = max_detections * max_classes_per_detection.
// Runs the optimized kernel (inputs read in place) unless
// DETLITE_REFERENCE_KERNELS is set; then the reference one, on float copies.
#include <memory>
#include <string>
#include <vector>

#include "ir/detection_options.h"
#include "kernels/optimized/detection_postprocess.h"
#include "kernels/reference/detection_postprocess.h"
#include "runtime/op_registry.h"
#include "runtime/ops/conv_common.h"

namespace detlite::runtime {
namespace {

struct DetectionData : OpData {
  kernels::DetectionPostProcessParams params;
  int num_boxes = 0;
  int box_stride = 4;
  int num_classes_with_background = 0;
  bool optimized = true;
  // Dequantized values of each uint8 input (encodings, scores, anchors).
  float tables[3][256] = {};
  bool table_increasing[3] = {};
  kernels::optimized::DetectionPostProcessor processor;
  // Reference path: inputs dequantized and packed every Eval.
  std::vector<float> encodings;  // B x 4
  std::vector<float> anchors;    // B x 4
  std::vector<float> scores;     // B x C'
  std::vector<kernels::BoxCorners> boxes;
};

Status CheckFloatOrUint8(const OpContext& ctx, const TensorRef* t, const char* what) {
  if (t->dtype != DType::kFloat32 && t->dtype != DType::kUInt8) {
    return ctx.Error(std::string(what) + " must be float32 or uint8, not " +
                     std::string(DTypeName(t->dtype)));
  }
  return Status::Ok();
}

// Dequantizes (uint8) or copies (float32) `count` rows of `width` values
// taken from rows of `stride` values.
void ToFloat(const TensorRef* t, int rows, int stride, int width, std::vector<float>* out) {
  out->resize(static_cast<size_t>(rows) * static_cast<size_t>(width));
  const float zp = static_cast<float>(t->zero_point());
  const float scale = t->scale();
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < width; ++c) {
      const size_t src = static_cast<size_t>(r) * static_cast<size_t>(stride) + static_cast<size_t>(c);
      const size_t dst = static_cast<size_t>(r) * static_cast<size_t>(width) + static_cast<size_t>(c);
      (*out)[dst] = t->dtype == DType::kUInt8
                        ? kernels::DequantizeDetectionInput(t->Data<uint8_t>()[src], zp, scale)
                        : t->Data<float>()[src];
    }
  }
}

Status Prepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 4));
  auto params = ir::ParseDetectionOptions(ctx.op().custom_options);
  if (!params.ok()) return ctx.Error(params.status().message());
  const TensorRef* enc = ctx.input(0);
  const TensorRef* cls = ctx.input(1);
  const TensorRef* anc = ctx.input(2);
  if (enc == nullptr || cls == nullptr || anc == nullptr) return ctx.Error("inputs are required");
  RETURN_IF_ERROR(CheckFloatOrUint8(ctx, enc, "box_encodings"));
  RETURN_IF_ERROR(CheckFloatOrUint8(ctx, cls, "class_predictions"));
  RETURN_IF_ERROR(CheckFloatOrUint8(ctx, anc, "anchors"));
  // TFLite reads the anchors with the box encodings' type (a uint8 model's
  // anchors are uint8): any other pairing gives it garbage boxes.
  if (anc->dtype != enc->dtype) {
    return ctx.Error("anchors are " + std::string(DTypeName(anc->dtype)) + " but box_encodings " +
                     std::string(DTypeName(enc->dtype)) +
                     "; TFLite reads the anchors with the encodings' type, so they must match");
  }
  RETURN_IF_ERROR(CheckRank(ctx, enc, 3, "box_encodings"));
  RETURN_IF_ERROR(CheckRank(ctx, cls, 3, "class_predictions"));
  RETURN_IF_ERROR(CheckRank(ctx, anc, 2, "anchors"));
  auto data = std::make_unique<DetectionData>();
  data->params = *params;
  data->num_boxes = static_cast<int>(enc->shape.dim(1));
  data->box_stride = static_cast<int>(enc->shape.dim(2));
  data->num_classes_with_background = static_cast<int>(cls->shape.dim(2));
  if (enc->shape.dim(0) != 1 || cls->shape.dim(0) != 1) return ctx.Error("batch must be 1");
  if (data->box_stride < 4) return ctx.Error("box_encodings need at least 4 values per box");
  if (cls->shape.dim(1) != data->num_boxes || anc->shape.dim(0) != data->num_boxes ||
      anc->shape.dim(1) != 4) {
    return ctx.Error("box_encodings " + enc->shape.ToString() + ", class_predictions " +
                     cls->shape.ToString() + " and anchors " + anc->shape.ToString() +
                     " disagree on the number of boxes");
  }
  const int offset = data->num_classes_with_background - data->params.num_classes;
  if (offset < 0 || offset > 1) {
    return ctx.Error("class_predictions has " + std::to_string(data->num_classes_with_background) +
                     " classes for num_classes " + std::to_string(data->params.num_classes));
  }
  for (int i = 0; i < 4; ++i) {
    if (ctx.output(i)->dtype != DType::kFloat32) return ctx.Error("outputs must be float32");
  }
  data->optimized = conv::UseOptimizedKernels();
  for (int i = 0; i < 3; ++i) {
    const TensorRef* t = ctx.input(i);
    if (t->dtype != DType::kUInt8) continue;
    const size_t k = static_cast<size_t>(i);
    data->table_increasing[k] =
        kernels::optimized::FillDetectionTable(t->zero_point(), t->scale(), data->tables[k]);
  }
  const int k = data->params.max_detections *
                    data->params.max_classes_per_detection;
  ctx.SetOutputShape(0, Shape{1, k, 4});
  ctx.SetOutputShape(1, Shape{1, k});
  ctx.SetOutputShape(2, Shape{1, k});
  ctx.SetOutputShape(3, Shape{1});
  ctx.SetData(std::move(data));
  return Status::Ok();
}

kernels::optimized::DetectionRows Rows(const DetectionData& d, const TensorRef* t, int which,
                                       int stride) {
  kernels::optimized::DetectionRows r;
  r.stride = stride;
  if (t->dtype == DType::kFloat32) {
    r.f = t->Data<float>();
  } else {
    r.q = t->Data<uint8_t>();
    r.table = d.tables[which];
    r.table_increasing = d.table_increasing[which];
  }
  return r;
}

Status EvalReference(OpContext& ctx, DetectionData& d) {
  ToFloat(ctx.input(0), d.num_boxes, d.box_stride, 4, &d.encodings);
  ToFloat(ctx.input(2), d.num_boxes, 4, 4, &d.anchors);
  ToFloat(ctx.input(1), d.num_boxes, d.num_classes_with_background,
          d.num_classes_with_background, &d.scores);
  kernels::DecodeCenterSizeBoxes(d.encodings.data(), d.anchors.data(), d.num_boxes, d.params,
                                 &d.boxes);
  kernels::DetectionPostProcess(d.boxes, d.scores.data(), d.num_classes_with_background, d.params,
                                ctx.output(0)->MutableData<float>(),
                                ctx.output(1)->MutableData<float>(),
                                ctx.output(2)->MutableData<float>(),
                                ctx.output(3)->MutableData<float>());
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  auto& d = ctx.data<DetectionData>();
  if (!d.optimized) return EvalReference(ctx, d);
  const kernels::optimized::DetectionRows encodings = Rows(d, ctx.input(0), 0, d.box_stride);
  const kernels::optimized::DetectionRows scores =
      Rows(d, ctx.input(1), 1, d.num_classes_with_background);
  const kernels::optimized::DetectionRows anchors = Rows(d, ctx.input(2), 2, 4);
  d.processor.Run(encodings, scores, anchors, d.num_boxes, d.num_classes_with_background,
                  d.params, ctx.output(0)->MutableData<float>(),
                  ctx.output(1)->MutableData<float>(), ctx.output(2)->MutableData<float>(),
                  ctx.output(3)->MutableData<float>());
  return Status::Ok();
}

}  // namespace

void RegisterDetectionOps(OpRegistry* r) {
  r->AddCustom("TFLite_Detection_PostProcess", OpKernel{&Prepare, &Eval});
}

}  // namespace detlite::runtime
