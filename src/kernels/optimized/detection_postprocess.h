// TFLite_Detection_PostProcess without the reference kernel's per-call
// copies and full sorts, with exactly its outputs (same bits, same order,
// same tie order; kernels/reference/detection_postprocess.h defines them):
//  - inputs are read in place, float or uint8 (uint8 through a 256-entry
//    table of its dequantized values, built once per tensor);
//  - a box is decoded only when NMS or the output needs it, and its area is
//    computed once;
//  - fast NMS scans each anchor's best score without sorting its classes and
//    sorts only the class order of the boxes it outputs;
//  - NMS orders candidates by a 64-bit key (score descending, then index
//    ascending: the reference's stable order) and sorts them a chunk at a
//    time, stopping as soon as enough boxes are kept;
//  - a candidate is tested against the boxes already kept (at most
//    max_detections), which keeps the same set as suppressing forward;
//  - regular NMS merges the classes' detections with one final partial sort
//    (the reference's order is total, so re-sorting after every class and
//    truncating gives the same first max_detections), and once that many
//    are kept, skips candidates scoring below all of the best of them.
// Scratch buffers live in the DetectionPostProcessor and are reused.
#ifndef DETLITE_KERNELS_OPTIMIZED_DETECTION_POSTPROCESS_H_
#define DETLITE_KERNELS_OPTIMIZED_DETECTION_POSTPROCESS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/reference/detection_postprocess.h"

namespace detlite::kernels::optimized {

// A matrix of float values, or of uint8 values read through `table` (their
// dequantized floats), `stride` values a row.
struct DetectionRows {
  const float* f = nullptr;
  const uint8_t* q = nullptr;
  const float* table = nullptr;  // 256 entries when q is set
  int stride = 0;
  // Set when table is strictly increasing: then comparing q compares the
  // floats, and the best score of a row can be found on the bytes.
  bool table_increasing = false;

  float At(int row, int col) const {
    const size_t i =
        static_cast<size_t>(row) * static_cast<size_t>(stride) + static_cast<size_t>(col);
    return f != nullptr ? f[i] : table[q[i]];
  }
};

// Fills table[q] = DequantizeDetectionInput(q, zero_point, scale) for every
// q and returns whether it is strictly increasing.
bool FillDetectionTable(int32_t zero_point, float scale, float table[256]);

class DetectionPostProcessor {
 public:
  // encodings: num_boxes rows, (y, x, h, w) first; scores: num_boxes rows of
  // num_classes_with_background; anchors: num_boxes rows of (y, x, h, w).
  // Outputs as the reference DetectionPostProcess (K slots, zero past the
  // count).
  void Run(const DetectionRows& encodings, const DetectionRows& scores,
           const DetectionRows& anchors, int num_boxes, int num_classes_with_background,
           const DetectionPostProcessParams& p, float* out_boxes, float* out_classes,
           float* out_scores, float* out_count);

 private:
  struct Det {
    int box;
    int cls;
    float score;
  };
  struct Outputs {
    float* boxes;
    float* classes;
    float* scores;
    float* count;
    void Put(int slot, const BoxCorners& b, int cls, float score) const {
      boxes[4 * slot + 0] = b.ymin;
      boxes[4 * slot + 1] = b.xmin;
      boxes[4 * slot + 2] = b.ymax;
      boxes[4 * slot + 3] = b.xmax;
      classes[slot] = static_cast<float>(cls);
      scores[slot] = score;
    }
  };

  // Decodes box i into boxes_ and areas_ unless done already in this Run.
  void Decode(int i);
  // Keys of the boxes whose best score (over num_classes columns from
  // offset) is at or above the threshold.
  void BestScoreCandidates(const DetectionRows& scores, int num_boxes, int offset,
                           int num_classes, float threshold);
  // Keys of the boxes whose score in column col is at or above both the
  // threshold and the floor.
  void ColumnCandidates(const DetectionRows& scores, int num_boxes, int col, float threshold,
                        float floor);
  // Greedy NMS over keys_ (reordered) into selected_, at most max_out boxes.
  void Nms(float iou_threshold, int max_out);
  // Appends box i to selected_ and its corners and area to kept_.
  void Keep(int i);
  // Whether a kept box overlaps b by more than the threshold.
  bool Suppressed(const BoxCorners& b, float area_b, float threshold) const;
  void RunFast(const DetectionRows& scores, int num_boxes, int offset,
               const DetectionPostProcessParams& p, const Outputs& out);
  void RunRegular(const DetectionRows& scores, int num_boxes, int offset,
                  const DetectionPostProcessParams& p, const Outputs& out);

  const DetectionRows* encodings_ = nullptr;
  const DetectionRows* anchors_ = nullptr;
  const DetectionPostProcessParams* params_ = nullptr;
  bool simd_ = true;  // SSE2 IoU tests unless the ISA level is kReference
  uint32_t epoch_ = 0;
  std::vector<uint32_t> decoded_epoch_;  // == epoch_: boxes_[i] is valid
  std::vector<BoxCorners> boxes_;
  std::vector<float> areas_;
  std::vector<uint64_t> keys_;
  std::vector<int> selected_;
  std::vector<float> kept_[5];  // selected_'s ymin, xmin, ymax, xmax, area
  std::vector<Det> dets_;
  std::vector<float> top_;  // regular NMS: min-heap of the best kept scores
  std::vector<int> class_order_;
};

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_DETECTION_POSTPROCESS_H_
