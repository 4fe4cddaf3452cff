// Builds, from a real raw-output SSD .tflite, the frozen GraphDef the Object
// Detection API's TF1 exporter (export_tflite_ssd_graph) would have written
// for the same network, so the TensorFlow import path can be judged against
// a model whose right answer is known.
//
// The .tflite is read with detlite's own tflite importer. Each op becomes the
// TensorFlow nodes the exporter writes, named as it names them:
//  - feature-extractor convolutions (names not under BoxPredictor_*): TFLite
//    folded the batch norm into the weights, so each is split again into
//    Conv2D / DepthwiseConv2dNative (no bias) + FusedBatchNormV3 (+ Relu6),
//    with seeded random gamma, mean and variance and the beta that makes the
//    fold reproduce the original weights and bias;
//  - box predictor convolutions: Conv2D + BiasAdd with weights/biases Consts;
//  - filters in TensorFlow layouts: Conv2D HWIO (TFLite OHWI), depthwise
//    [H,W,C,multiplier] (TFLite [1,H,W,C*multiplier]); float16 weights behind
//    DEQUANTIZE become float32 Consts of the same values (as the exporter's
//    float32 checkpoint would hold);
//  - ADD -> AddV2; RESHAPE -> Reshape of a Shape/StridedSlice/Pack shape (as
//    the predictors compute it); the two CONCATENATIONs -> ConcatV2 "concat"
//    and "concat_1"; boxes -> Squeeze -> Identity raw_outputs/box_encodings;
//    class logits -> Sigmoid convert_scores -> Identity
//    raw_outputs/class_predictions;
//  - an "anchors" Const from detlite's ssd_anchor_generator (6 layers, scales
//    0.2..0.95, aspect ratios 1, 2, 0.5, 3, 0.3333, reduced lowest layer), and
//    the TFLite_Detection_PostProcess node with the exporter's attributes.
#ifndef DETLITE_TESTS_SUPPORT_ODAPI_SSD_GENERATOR_H_
#define DETLITE_TESTS_SUPPORT_ODAPI_SSD_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"
#include "passes/ssd/ssd_spec.h"

namespace detlite::testing {

struct OdapiSsdOptions {
  uint32_t seed = 1;            // batch-norm statistics
  float bn_epsilon = 0.001f;    // the Object Detection API's MobileNet value
  bool add_postprocess = true;  // the TFLite_Detection_PostProcess node
  // The exporter's attributes (export_tflite_ssd_graph defaults and the
  // Open Images SSD's config).
  int max_detections = 10;
  int max_classes_per_detection = 1;
  float nms_score_threshold = 1e-8f;
  float nms_iou_threshold = 0.6f;
  ssd::BoxCoderSpec box_coder;  // 10, 10, 5, 5
};

struct OdapiSsdGraph {
  tf::GraphDef graph;
  std::vector<ssd::Anchor> anchors;
  int num_classes = 0;      // without background
  int image_size = 0;       // square input
  int batch_norms = 0;      // FusedBatchNormV3 nodes written
  int predictor_convs = 0;  // Conv2D + BiasAdd pairs written
};

StatusOr<OdapiSsdGraph> GenerateOdapiSsdGraph(
    const std::string& tflite_path, const OdapiSsdOptions& options = {});

// Serializes `graph` to `path` (through a temporary file and rename).
Status WriteGraphDef(const tf::GraphDef& graph, const std::string& path);

// Writes `graph` as a TF1 SavedModel in `dir` (saved_model.pb, tag "serve",
// plus variables/): every frozen variable (a Const read through
// "<name>/read") becomes a VariableV2 restored from the tensor bundle; the
// "serving_default" signature feeds normalized_input_image_tensor and
// returns the post-processing node's four outputs (odapi_saved_model.cc).
Status WriteOdapiSavedModel(const tf::GraphDef& graph, const std::string& dir,
                            int* num_variables);

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_ODAPI_SSD_GENERATOR_H_
