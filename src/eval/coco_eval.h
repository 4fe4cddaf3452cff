// COCO bbox evaluation computed the way pycocotools' COCOeval does it
// (evaluate + accumulate + summarize), so the numbers agree with it. One
// deliberate difference: pycocotools records a match by the gt's id, so a gt
// with id 0 looks unmatched there; here a match is a match whatever the id.
#ifndef DETLITE_EVAL_COCO_EVAL_H_
#define DETLITE_EVAL_COCO_EVAL_H_

#include <array>
#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "eval/coco_types.h"

namespace detlite::eval {

struct AreaRange {
  double lo = 0.0;
  double hi = 0.0;  // inclusive at both ends, as in pycocotools
};

struct CocoEvalParams {
  // Empty means pycocotools' defaults: np.linspace(.5, .95, 10) and
  // np.linspace(0, 1, 101), built with numpy's arithmetic.
  std::vector<double> iou_thresholds;
  std::vector<double> recall_thresholds;
  std::array<int, 3> max_dets = {1, 10, 100};  // ascending
  // all, small, medium, large (summary rows depend on this order).
  std::array<AreaRange, 4> area_ranges = {{{0.0, 1e10},
                                           {0.0, 32.0 * 32.0},
                                           {32.0 * 32.0, 96.0 * 96.0},
                                           {96.0 * 96.0, 1e10}}};
};

struct CocoMetrics {
  // AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl; -1 where
  // nothing could be measured.
  std::array<double, 12> stats{};
  std::vector<double> iou_thresholds;
  std::vector<double> recall_thresholds;
  std::vector<int64_t> category_ids;  // ascending; index k below
  // AP over IoU .50:.95 for area 'all', maxDets 100; -1 if the class has no
  // non-ignored ground truth.
  std::vector<double> per_class_ap;
  // precision[T][R][K][A][M] and recall[T][K][A][M], flat, -1 when absent.
  std::vector<double> precision;
  std::vector<double> recall;

  double Precision(size_t t, size_t r, size_t k, size_t a, size_t m) const {
    size_t R = recall_thresholds.size(), K = category_ids.size();
    return precision[(((t * R + r) * K + k) * 4 + a) * 3 + m];
  }
  double Recall(size_t t, size_t k, size_t a, size_t m) const {
    return recall[((t * category_ids.size() + k) * 4 + a) * 3 + m];
  }
};

// Evaluates `dets` against `gt` over gt's images and categories. Detections
// of other categories are dropped; detections on an image not in gt are an
// error (pycocotools refuses such results too).
StatusOr<CocoMetrics> EvaluateCoco(const CocoDataset& gt,
                                   const std::vector<Detection>& dets,
                                   const CocoEvalParams& p = {});

// numpy.linspace(start, stop, num) with numpy's rounding.
std::vector<double> Linspace(double start, double stop, int num);

}  // namespace detlite::eval

#endif  // DETLITE_EVAL_COCO_EVAL_H_
