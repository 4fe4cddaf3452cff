// Appends TFLite's standard SSD post-processing to a model that ends in raw
// SSD outputs (box encodings [1,N,>=4] and class scores [1,N,C]): the custom
// op TFLite_Detection_PostProcess with a constant anchor tensor [N,4], plus
// the builtin ops its inputs need first:
//  - a score converter (LOGISTIC, or SOFTMAX over the class axis) when the
//    class tensor holds logits, as the Object Detection API's exporter does;
//  - for MediaPipe models (BlazeFace, BlazePalm), whose boxes are (x, y, w, h)
//    in input pixels with linear sizes, a rewrite into TFLite's encoding:
//    GATHER (y, x) and (h, w), DIV the sizes by their scale, MAXIMUM with a
//    tiny floor, LOG, CONCATENATION; the op then uses h_scale = w_scale = 1
//    and 1x1 anchors, so exp(log(h / scale)) * 1 restores MediaPipe's size.
// The model's outputs become the op's four (TensorFlow's names
// TFLite_Detection_PostProcess, :1, :2, :3: boxes [1,M,4] as ymin, xmin,
// ymax, xmax; classes [1,M]; scores [1,M]; count [1]).
//
// The pass decides nothing about what the caller asked for: the api layer
// reconciles a pipeline.config, flags and the model (FindSsdOutputs,
// ClassScoreKind) and hands a resolved config here, which is checked against
// the graph again before anything changes.
#ifndef DETLITE_PASSES_ADD_DETECTION_POSTPROCESS_H_
#define DETLITE_PASSES_ADD_DETECTION_POSTPROCESS_H_

#include <cstdint>
#include <vector>

#include "passes/pass.h"
#include "passes/ssd/ssd_spec.h"

namespace detlite::passes {

enum class BoxEncoding {
  kCenterSize,       // (ty, tx, th, tw), sizes in log space: TFLite's own
  kMediapipeLinear,  // (x, y, w, h, ...) in input pixels, linear sizes
};

struct SsdOutputs {
  int32_t boxes = -1;    // tensor index in subgraph 0
  int32_t classes = -1;
  int64_t num_boxes = 0;
  int64_t box_columns = 0;
  int64_t class_columns = 0;
};

// Finds the raw box and class outputs of subgraph 0: two float outputs
// [1,N,k] with the same N, told apart by name ("box", "regress" vs "class",
// "score"), else by width (4 for boxes, < 4 for classes), else by order.
StatusOr<SsdOutputs> FindSsdOutputs(const ir::Model& model);

// What the op producing `tensor` makes of it, looking through ops that only
// move data (RESHAPE, SQUEEZE, EXPAND_DIMS, CONCATENATION of agreeing inputs).
enum class ScoreKind { kLogits, kSigmoid, kSoftmax };
ScoreKind ClassScoreKind(const ir::Model& model, int32_t tensor);
const char* ScoreKindName(ScoreKind kind);

struct DetectionPostprocessConfig {
  std::vector<ssd::Anchor> anchors;
  BoxEncoding encoding = BoxEncoding::kCenterSize;
  ssd::BoxCoderSpec box_coder;
  // The converter to insert (kAuto is refused here: it is resolved before).
  ssd::ScoreConverter score_converter = ssd::ScoreConverter::kIdentity;
  int num_classes = 0;  // real classes; class columns - num_classes is 0 or 1
  ssd::NmsSpec nms;
};

class AddDetectionPostprocess : public Pass {
 public:
  explicit AddDetectionPostprocess(DetectionPostprocessConfig config)
      : config_(std::move(config)) {}
  std::string_view name() const override { return "add-detection-postprocess"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;

 private:
  DetectionPostprocessConfig config_;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_ADD_DETECTION_POSTPROCESS_H_
