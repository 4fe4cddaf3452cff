// Scoring detections already written to files: COCO results json, or Pascal
// VOC-style text files.
#include <algorithm>
#include <set>

#include "api/eval_summary.h"
#include "detlite/evaluate.h"
#include "eval/coco_json.h"
#include "eval/voc_eval.h"

namespace detlite {

StatusOr<EvalResult> EvaluateCocoResults(const std::string& results_json,
                                         const std::string& ground_truth_json) {
  ASSIGN_OR_RETURN(eval::CocoDataset gt, eval::ReadCocoGroundTruth(ground_truth_json));
  ASSIGN_OR_RETURN(std::vector<eval::Detection> dets, eval::ReadCocoResults(results_json));
  auto metrics = eval::EvaluateCoco(gt, dets);
  if (!metrics.ok()) return metrics.status().WithContext(results_json);
  EvalResult r;
  r.dataset = ground_truth_json;
  r.model = results_json;
  r.coco = api::Summarize(gt, dets, *metrics);
  return r;
}

StatusOr<std::vector<VocApRow>> EvaluateVocTextFiles(const std::string& detections_dir,
                                                     const std::string& ground_truth_dir,
                                                     const std::vector<double>& ious) {
  ASSIGN_OR_RETURN(auto gts, eval::ReadVocBoxes(ground_truth_dir, eval::VocFileKind::kGroundTruth));
  ASSIGN_OR_RETURN(auto dets, eval::ReadVocBoxes(detections_dir, eval::VocFileKind::kDetections));
  if (gts.empty()) return InvalidArgument(ground_truth_dir + ": no ground-truth boxes found");
  std::set<std::string> labels;
  for (const auto& b : gts) labels.insert(b.label);
  std::vector<VocApRow> rows;
  for (const std::string& label : labels) {
    for (double iou : ious) {
      VocApRow row;
      row.label = label;
      row.iou = iou;
      auto eleven = eval::EvaluateVocClass(gts, dets, label, iou, eval::VocInterpolation::kElevenPoint);
      auto every = eval::EvaluateVocClass(gts, dets, label, iou, eval::VocInterpolation::kEveryPoint);
      row.num_gt = every.num_gt;
      row.num_detections = every.tp + every.fp;
      row.ap_11_point = eleven.ap;
      row.ap_every_point = every.ap;
      rows.push_back(row);
    }
  }
  return rows;
}

}  // namespace detlite
