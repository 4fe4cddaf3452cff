// The per-image error view of `eval --compare-to`: which photos a model loses
// most AP on against a reference model, drawn side by side.
#ifndef DETLITE_API_EVALUATE_COMPARE_H_
#define DETLITE_API_EVALUATE_COMPARE_H_

#include <functional>
#include <string>
#include <vector>

#include "detlite/dataset.h"
#include "detlite/evaluate.h"
#include "eval/coco_eval.h"

namespace detlite::api {

// Detections of one photo, as the detector returned them (normalized boxes)
// and as scored (dataset category ids, pixels).
struct ImageRun {
  std::vector<Detection> found;
  std::vector<eval::Detection> scored;
};

// AP @[.50:.95] of `scored` on image `image_id` of `gt` alone; -1 when the
// photo has no ground truth that counts.
double ImageAp(const eval::CocoDataset& gt, int64_t image_id,
               const std::vector<eval::Detection>& scored);

// The `count` photos with the largest AP drop from `reference` to `model`
// (runs indexed like ds.samples, image id = index + 1), each drawn.
StatusOr<std::vector<ImageComparison>> WorstImages(
    const Dataset& ds, const eval::CocoDataset& gt, const std::vector<ImageRun>& model,
    const std::vector<ImageRun>& reference, int count, float draw_threshold,
    const std::function<std::string(int)>& namer);

// The photo with the detections at or above `draw_threshold` (class colours)
// and the sample's ground truth (white).
RgbImage DrawSample(const RgbImage& img, const DatasetSample& s,
                    const std::vector<Detection>& dets, float draw_threshold,
                    const std::function<std::string(int)>& namer);

}  // namespace detlite::api

#endif  // DETLITE_API_EVALUATE_COMPARE_H_
