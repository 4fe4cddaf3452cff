#include "train/ssd_head.h"

#include <cstring>
#include <string>

#include "ir/detection_options.h"
#include "train/distill.h"

namespace detlite::train {
namespace {

constexpr char kPostProcess[] = "TFLite_Detection_PostProcess";

int64_t LastDim(const ir::Tensor& t) { return t.shape.rank() > 0 ? t.shape.dim(t.shape.rank() - 1) : 0; }

}  // namespace

StatusOr<SsdHead> FindSsdHead(const ir::Subgraph& sg) {
  const ir::Operator* post = nullptr;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == kPostProcess) post = &op;
  }
  if (post == nullptr || post->inputs.size() < 3) {
    return InvalidArgument(std::string("the SSD loss needs a detector ending in ") + kPostProcess +
                           " (its anchors and box coder); this model has none (add it with "
                           "detlite convert --add-postprocess)");
  }
  ASSIGN_OR_RETURN(std::vector<DistillTarget> targets, FindDistillTargets(sg));
  SsdHead head;
  head.boxes = targets[0].tensor;
  head.logits = targets[1].tensor;
  const ir::Tensor& anchors = sg.tensors[static_cast<size_t>(post->inputs[2])];
  if (!anchors.is_constant() || anchors.dtype != DType::kFloat32 || LastDim(anchors) != 4) {
    return InvalidArgument(std::string("the anchors of ") + kPostProcess + " ('" + anchors.name +
                           "') are not a constant float32 [anchors, 4] tensor; the SSD loss "
                           "needs them");
  }
  const size_t n = anchors.data->size() / (4 * sizeof(float));
  std::vector<float> v(n * 4);
  std::memcpy(v.data(), anchors.data->data(), v.size() * sizeof(float));
  for (size_t i = 0; i < n; ++i) head.anchors.push_back({v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]});
  ASSIGN_OR_RETURN(DetectionPostProcessParams p, ir::ParseDetectionOptions(post->custom_options));
  head.scales = {p.y_scale, p.x_scale, p.h_scale, p.w_scale};
  const ir::Tensor& boxes = sg.tensors[static_cast<size_t>(head.boxes)];
  const ir::Tensor& logits = sg.tensors[static_cast<size_t>(head.logits)];
  head.columns = static_cast<int>(LastDim(logits));
  head.background_columns = head.columns - p.num_classes;
  const int64_t nb = boxes.shape.NumElements() / 4;
  const int64_t nl = head.columns > 0 ? logits.shape.NumElements() / head.columns : 0;
  if (LastDim(boxes) != 4 || nb != static_cast<int64_t>(n) || nl != static_cast<int64_t>(n) ||
      head.background_columns < 0) {
    return InvalidArgument(std::string(kPostProcess) + ": " + std::to_string(n) + " anchors, " +
                           std::to_string(nb) + " box encodings, " + std::to_string(nl) +
                           " rows of class logits with " + std::to_string(head.columns) +
                           " columns for " + std::to_string(p.num_classes) +
                           " classes; the SSD loss needs them to agree");
  }
  return head;
}

}  // namespace detlite::train
