// Measuring a detector's accuracy: COCO-style AP/AR computed exactly as
// pycocotools does, per-class AP and precision-recall curves, from a model run
// over a labelled dataset or from a file of detections.
#ifndef DETLITE_EVALUATE_H_
#define DETLITE_EVALUATE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "detlite/detection.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite {

struct ClassMetrics {
  int64_t category_id = 0;
  std::string name;
  int num_gt = 0;          // ground-truth boxes that count (not crowd)
  int num_detections = 0;  // detections of this category
  double ap = -1;          // AP @[.50:.95], -1 when the class has no ground truth
  double ap50 = -1;        // AP @.50
  // Precision at the 101 recall points 0, .01, ... 1 (IoU .50, all areas,
  // 100 detections); -1 where recall never got that far.
  std::vector<double> precision_at_recall;
};

struct CocoSummary {
  // AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl
  // (pycocotools' order); -1 where nothing could be measured.
  std::array<double, 12> stats{};
  std::vector<ClassMetrics> classes;
  int images = 0;
  int ground_truth = 0;
  int detections = 0;
};

// The twelve names, in CocoSummary::stats order.
const std::array<const char*, 12>& CocoStatNames();

struct EvalSample {
  std::string name;
  RgbImage drawn;  // ground truth in white, detections in class colours
};

// One photo where the evaluated model loses against the reference model
// (EvalOptions::reference): its AP on that photo alone, both ways, and the
// photo drawn twice side by side (reference left, evaluated model right; ground
// truth in white on both).
struct ImageComparison {
  std::string name;
  double ap = -1;            // evaluated model, AP @[.50:.95] on this photo
  double reference_ap = -1;  // reference model, same
  int detections = 0;        // above EvalOptions::draw_threshold
  int reference_detections = 0;
  RgbImage drawn;
};

struct EvalResult {
  std::string model;
  std::string dataset;
  CocoSummary coco;
  std::vector<std::string> notes;  // how classes were matched, warnings
  double seconds = 0;
  double mean_invoke_ms = 0;
  std::vector<EvalSample> samples;  // a few photos for the report
  // With EvalOptions::reference: the reference model's numbers on the same
  // photos, and the photos where this model loses most AP against it.
  std::string reference;
  CocoSummary reference_coco;
  std::vector<ImageComparison> worst;
};

struct EvalOptions {
  PreprocessOptions preprocess;
  std::string labels;             // label map naming the model's classes
  float score_threshold = 0.0f;   // keep everything the model returns
  int64_t max_images = -1;
  int report_samples = 6;         // photos kept with boxes drawn
  // Another model (usually the float original of a quantized one) run on the
  // same photos with the same preprocessing and class mapping; EvalResult
  // then holds its numbers and the `worst_images` photos where `model` loses
  // most AP against it, so a user sees what quantization broke.
  const Model* reference = nullptr;
  int worst_images = 6;
  float draw_threshold = 0.3f;    // boxes drawn on report photos
  std::function<void(int64_t done, int64_t total)> progress;
};

// Runs `model` (which must end in TFLite_Detection_PostProcess) on every
// image of the dataset at `dataset_path` (COCO json, VOC, TFRecord; see
// LoadDataset) and scores the detections. The model's classes are matched to
// the dataset's categories by name when a label map is given, else class c is
// category id c + 1; the notes say which.
StatusOr<EvalResult> EvaluateModel(const Model& model, const std::string& dataset_path,
                                   const EvalOptions& options);

// Scores a COCO results file against COCO ground truth.
StatusOr<EvalResult> EvaluateCocoResults(const std::string& results_json,
                                         const std::string& ground_truth_json);

// Pascal VOC AP from directories of per-image text files (ground truth lines
// "class left top width height", detections "class score left top width
// height", absolute pixels), for each class and IoU threshold.
struct VocApRow {
  std::string label;
  double iou = 0.5;
  int num_gt = 0;
  int num_detections = 0;
  double ap_11_point = 0;
  double ap_every_point = 0;
};
StatusOr<std::vector<VocApRow>> EvaluateVocTextFiles(const std::string& detections_dir,
                                                     const std::string& ground_truth_dir,
                                                     const std::vector<double>& ious);

// A self-contained HTML page: the numbers, a precision-recall plot per class
// (inline SVG) and the sample photos (inline PNG). Written atomically.
Status WriteEvalReport(const EvalResult& result, const std::string& path);

}  // namespace detlite

#endif  // DETLITE_EVALUATE_H_
