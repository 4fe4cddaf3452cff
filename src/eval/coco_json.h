// Readers for the two COCO json files.
//
// Ground truth: {"images": [{"id": int, ...}], "categories": [{"id": int,
// "name": str, ...}], "annotations": [{"id": int, "image_id": int,
// "category_id": int, "bbox": [x, y, w, h], "area": num, "iscrowd": 0|1
// (optional, default 0), ...}]}. Other keys (segmentation, info, ...) are
// skipped.
//
// Results: either a top-level array of {"image_id", "category_id", "bbox",
// "score"} or an object whose "annotations" member is such an array.
//
// Every malformed entry yields DataLoss("<file>: <entry>: <problem>").
#ifndef DETLITE_EVAL_COCO_JSON_H_
#define DETLITE_EVAL_COCO_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "detlite/status.h"
#include "eval/coco_types.h"

namespace detlite::eval {

// A results file is parsed as a stream (never held whole in memory) and may
// hold at most this many detections (docs/LIMITS.md).
inline constexpr size_t kMaxCocoResults = 5'000'000;

StatusOr<CocoDataset> ReadCocoGroundTruth(const std::string& path);
StatusOr<std::vector<Detection>> ReadCocoResults(const std::string& path);

// Same, from text already in memory; `name` stands in for the file name.
StatusOr<CocoDataset> ParseCocoGroundTruth(std::string_view text,
                                           const std::string& name);
StatusOr<std::vector<Detection>> ParseCocoResults(std::string_view text,
                                                  const std::string& name);

}  // namespace detlite::eval

#endif  // DETLITE_EVAL_COCO_JSON_H_
