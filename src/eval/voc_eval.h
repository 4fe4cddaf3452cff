// Pascal VOC average precision for one class, computed the way the
// review_object_detection_metrics (Padilla et al.) Pascal VOC evaluator does.
//
// Box files: one text file per image in a directory, the image named by the
// file's stem. Ground-truth lines are "class left top width height",
// detection lines "class score left top width height", in absolute pixels.
// Boxes use the inclusive-pixel convention: a w x h box covers (w+1)(h+1).
#ifndef DETLITE_EVAL_VOC_EVAL_H_
#define DETLITE_EVAL_VOC_EVAL_H_

#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::eval {

struct VocBox {
  std::string image;
  std::string label;
  double score = 1.0;  // ground truth: 1
  double left = 0, top = 0, width = 0, height = 0;
};

enum class VocFileKind { kGroundTruth, kDetections };
enum class VocInterpolation { kElevenPoint, kEveryPoint };

struct VocClassResult {
  double ap = 0.0;
  std::vector<double> precision;  // per detection, by descending score
  std::vector<double> recall;
  int num_gt = 0;
  int tp = 0;
  int fp = 0;
};

// Reads every *.txt in `dir`, in file-name order. DataLoss names the file and
// line of a malformed entry.
StatusOr<std::vector<VocBox>> ReadVocBoxes(const std::string& dir,
                                           VocFileKind kind);

// A detection is a true positive when its best-IoU gt on the same image
// reaches `iou_threshold` and was not taken by a higher-scored detection.
VocClassResult EvaluateVocClass(const std::vector<VocBox>& gts,
                                const std::vector<VocBox>& dets,
                                const std::string& label, double iou_threshold,
                                VocInterpolation interpolation);

}  // namespace detlite::eval

#endif  // DETLITE_EVAL_VOC_EVAL_H_
