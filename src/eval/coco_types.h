// Plain data for COCO-style evaluation: what coco_json.h reads and what
// coco_eval.h consumes. Boxes are COCO [x, y, width, height] in pixels.
#ifndef DETLITE_EVAL_COCO_TYPES_H_
#define DETLITE_EVAL_COCO_TYPES_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace detlite::eval {

struct Category {
  int64_t id = 0;
  std::string name;
};

struct GroundTruth {
  int64_t id = 0;
  int64_t image_id = 0;
  int64_t category_id = 0;
  std::array<double, 4> bbox{};  // x, y, w, h
  double area = 0.0;             // the file's 'area' field, used for ranges
  bool iscrowd = false;          // crowd regions are ignored, never missed
};

struct Detection {
  int64_t image_id = 0;
  int64_t category_id = 0;
  std::array<double, 4> bbox{};  // x, y, w, h
  double score = 0.0;
};

struct CocoDataset {
  std::vector<int64_t> image_ids;  // as listed in 'images'
  std::vector<Category> categories;
  std::vector<GroundTruth> annotations;  // file order
};

}  // namespace detlite::eval

#endif  // DETLITE_EVAL_COCO_TYPES_H_
