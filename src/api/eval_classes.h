// What EvaluateModel and sharded evaluation (eval --shard, eval merge) share:
// matching a model's classes to a dataset's categories, and the ground truth
// and detections exactly as they are scored.
#ifndef DETLITE_API_EVAL_CLASSES_H_
#define DETLITE_API_EVAL_CLASSES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "detlite/dataset.h"
#include "detlite/detection.h"
#include "detlite/evaluate.h"
#include "detlite/model.h"
#include "eval/coco_types.h"

namespace detlite::api {

std::string Lower(std::string s);

// Model class index -> dataset category id (absent or < 0 = not scored).
struct ClassMapping {
  std::map<int, int64_t> to_category;
  std::string note;
};

// Names for the model's classes, read once: --labels, else the label map
// inside the model. `source` is empty when there is neither.
struct ClassNames {
  std::function<std::string(int)> namer;
  std::string source;
};

StatusOr<ClassNames> ResolveClassNames(const Model& model, const EvalOptions& o,
                                       const Detector& detector);
StatusOr<ClassMapping> MapClasses(const ClassNames& names, const Dataset& ds,
                                  const Detector& detector);

// How evaluation runs a detector: the caller's preprocessing and threshold,
// every class above it per box.
DetectorOptions EvalDetectorOptions(const EvalOptions& o);

// A labelled dataset and the model's detector, classes named and mapped to
// its categories: how EvaluateModel and EvaluateModelShard both begin.
struct LabelledEvaluation {
  Dataset ds;
  Detector detector;
  ClassNames names;
  ClassMapping mapping;
};
StatusOr<LabelledEvaluation> OpenLabelledEvaluation(const Model& model,
                                                    const std::string& dataset_path,
                                                    const EvalOptions& o);

// Appends the dataset's scored categories to gt->categories; returns the id
// of a category named "background" (not scored), or -1.
int64_t ScoredCategories(const Dataset& ds, eval::CocoDataset* gt);

// Adds one photo (as `image_id`) and its boxes, except those of `skip_id`
// (counted in *skipped), to the ground truth.
void AddGroundTruth(const DatasetSample& s, int64_t image_id, int64_t skip_id,
                    eval::CocoDataset* gt, int* skipped);

// The detections of one photo as scored: dataset category ids, pixels.
std::vector<eval::Detection> ToScored(const std::vector<Detection>& found, int64_t image_id,
                                      const RgbImage& img, const ClassMapping& mapping);

}  // namespace detlite::api

#endif  // DETLITE_API_EVAL_CLASSES_H_
