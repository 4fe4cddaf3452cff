// TFLite_Detection_PostProcess as TFLite computes it: decode centre-size box
// encodings against anchors, then either fast class-agnostic NMS (each box
// keeps its best max_classes_per_detection classes) or regular per-class NMS
// (detections_per_class per class, merged by score). Inputs are float (uint8
// inputs are dequantized by the caller with DequantizeDetectionInput, the
// same expression TFLite uses). Sorting is stable so ties keep box order,
// except in the regular-NMS merge across classes (see below). This is the
// plain statement of the op; kernels/optimized/detection_postprocess.h is
// the one the runtime runs, and must give these outputs bit for bit.
#ifndef DETLITE_KERNELS_REFERENCE_DETECTION_POSTPROCESS_H_
#define DETLITE_KERNELS_REFERENCE_DETECTION_POSTPROCESS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/detection_params.h"

namespace detlite::kernels {

// Defined in core so the options codec (ir/detection_options.h) can fill it
// without the IR depending on kernels.
using ::detlite::DetectionPostProcessParams;

struct BoxCorners {
  float ymin, xmin, ymax, xmax;
};

// (q - zero_point) * scale, in float, as TFLite's kernel dequantizes.
inline float DequantizeDetectionInput(uint8_t q, float zero_point, float scale) {
  return (static_cast<float>(q) - zero_point) * scale;
}

// One box from its encoding e and anchor a, both (y, x, h, w). The centre
// and the half sizes are computed in double and rounded to float once each,
// as the real runtime does (in float, about 1 box value in 3 differed from
// it by an ulp or two on SSDLite). The optimized kernel decodes through this
// same function, so both round alike.
inline BoxCorners DecodeCenterSizeBox(float ey, float ex, float eh, float ew, float ay, float ax,
                                      float ah, float aw, const DetectionPostProcessParams& p) {
  using D = double;
  const float ycenter = static_cast<float>(D(ey) / D(p.y_scale) * D(ah) + D(ay));
  const float xcenter = static_cast<float>(D(ex) / D(p.x_scale) * D(aw) + D(ax));
  const float half_h = static_cast<float>(0.5 * std::exp(D(eh) / D(p.h_scale)) * D(ah));
  const float half_w = static_cast<float>(0.5 * std::exp(D(ew) / D(p.w_scale)) * D(aw));
  return {ycenter - half_h, xcenter - half_w, ycenter + half_h, xcenter + half_w};
}

// encodings and anchors: num_boxes x 4 (y, x, h, w).
inline void DecodeCenterSizeBoxes(const float* encodings, const float* anchors, int num_boxes,
                                  const DetectionPostProcessParams& p,
                                  std::vector<BoxCorners>* boxes) {
  boxes->resize(static_cast<size_t>(num_boxes));
  for (int i = 0; i < num_boxes; ++i) {
    const float* e = encodings + 4 * i;
    const float* a = anchors + 4 * i;
    (*boxes)[static_cast<size_t>(i)] =
        DecodeCenterSizeBox(e[0], e[1], e[2], e[3], a[0], a[1], a[2], a[3], p);
  }
}

inline float BoxArea(const BoxCorners& b) { return (b.ymax - b.ymin) * (b.xmax - b.xmin); }

// Intersection over union given both areas (BoxArea); 0 if either is empty.
inline float DetectionIouWithAreas(const BoxCorners& a, float area_a, const BoxCorners& b,
                                   float area_b) {
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float iymin = std::max(a.ymin, b.ymin);
  const float ixmin = std::max(a.xmin, b.xmin);
  const float iymax = std::min(a.ymax, b.ymax);
  const float ixmax = std::min(a.xmax, b.xmax);
  const float inter = std::max(iymax - iymin, 0.0f) * std::max(ixmax - ixmin, 0.0f);
  return inter / (area_a + area_b - inter);
}

inline float DetectionIou(const BoxCorners& a, const BoxCorners& b) {
  return DetectionIouWithAreas(a, BoxArea(a), b, BoxArea(b));
}

// Indices (descending score, ties by index) of the boxes kept by greedy NMS
// among those with score >= the threshold, at most max_out of them.
inline std::vector<int> SingleClassNms(const std::vector<float>& scores,
                                       const std::vector<BoxCorners>& boxes,
                                       const DetectionPostProcessParams& p, int max_out) {
  std::vector<int> keep;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] >= p.nms_score_threshold) keep.push_back(static_cast<int>(i));
  }
  std::stable_sort(keep.begin(), keep.end(), [&](int a, int b) {
    return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)];
  });
  const size_t out_size = static_cast<size_t>(std::max(0, std::min<int>(static_cast<int>(keep.size()), max_out)));
  std::vector<int> selected;
  std::vector<uint8_t> active(keep.size(), 1);
  for (size_t i = 0; i < keep.size() && selected.size() < out_size; ++i) {
    if (!active[i]) continue;
    active[i] = 0;
    selected.push_back(keep[i]);
    const BoxCorners& bi = boxes[static_cast<size_t>(keep[i])];
    for (size_t j = i + 1; j < keep.size(); ++j) {
      if (active[j] && DetectionIou(bi, boxes[static_cast<size_t>(keep[j])]) > p.nms_iou_threshold) {
        active[j] = 0;
      }
    }
  }
  return selected;
}

// scores: num_boxes x num_classes_with_background (background first if
// num_classes_with_background > num_classes). Outputs sized by the caller:
// out_boxes 4 * K, out_classes K, out_scores K with
// K = max_detections * max_classes_per_detection (as TFLite shapes them for
// both modes); slots past the count are zero.
inline void DetectionPostProcess(const std::vector<BoxCorners>& boxes, const float* scores,
                                 int num_classes_with_background,
                                 const DetectionPostProcessParams& p, float* out_boxes,
                                 float* out_classes, float* out_scores, float* out_count) {
  const int num_boxes = static_cast<int>(boxes.size());
  const int num_classes = p.num_classes;
  const int label_offset = num_classes_with_background - num_classes;
  const int slots = p.max_detections * p.max_classes_per_detection;
  std::fill(out_boxes, out_boxes + 4 * slots, 0.0f);
  std::fill(out_classes, out_classes + slots, 0.0f);
  std::fill(out_scores, out_scores + slots, 0.0f);
  auto score_at = [&](int box, int cls) {
    return scores[static_cast<size_t>(box) * static_cast<size_t>(num_classes_with_background) +
                  static_cast<size_t>(cls + label_offset)];
  };
  auto put = [&](int slot, int box, int cls, float score) {
    const BoxCorners& b = boxes[static_cast<size_t>(box)];
    out_boxes[4 * slot + 0] = b.ymin;
    out_boxes[4 * slot + 1] = b.xmin;
    out_boxes[4 * slot + 2] = b.ymax;
    out_boxes[4 * slot + 3] = b.xmax;
    out_classes[slot] = static_cast<float>(cls);
    out_scores[slot] = score;
  };

  if (!p.use_regular_nms) {
    const int per_anchor = std::min(p.max_classes_per_detection, num_classes);
    std::vector<float> max_scores(static_cast<size_t>(num_boxes));
    std::vector<int> class_order(static_cast<size_t>(num_boxes) * static_cast<size_t>(num_classes));
    for (int b = 0; b < num_boxes; ++b) {
      int* order = class_order.data() + static_cast<size_t>(b) * static_cast<size_t>(num_classes);
      std::iota(order, order + num_classes, 0);
      std::stable_sort(order, order + num_classes,
                       [&](int x, int y) { return score_at(b, x) > score_at(b, y); });
      max_scores[static_cast<size_t>(b)] = num_classes > 0 ? score_at(b, order[0]) : 0.0f;
    }
    const std::vector<int> selected = SingleClassNms(max_scores, boxes, p, p.max_detections);
    int n = 0;
    for (int box : selected) {
      const int* order = class_order.data() + static_cast<size_t>(box) * static_cast<size_t>(num_classes);
      for (int c = 0; c < per_anchor; ++c) {
        put(p.max_classes_per_detection * n + c, box, order[c], score_at(box, order[c]));
      }
      ++n;
    }
    *out_count = static_cast<float>(n);
    return;
  }

  struct Det {
    int box;
    int cls;
    float score;
  };
  std::vector<Det> top;
  std::vector<float> class_scores(static_cast<size_t>(num_boxes));
  for (int c = 0; c < num_classes; ++c) {
    for (int b = 0; b < num_boxes; ++b) class_scores[static_cast<size_t>(b)] = score_at(b, c);
    for (int b : SingleClassNms(class_scores, boxes, p, p.detections_per_class)) {
      top.push_back({b, c, class_scores[static_cast<size_t>(b)]});
    }
    // Equal scores: the later class first, then the lower box index. This is
    // the order the real runtime (tfjs-tflite wasm, TFLite ~2.12) produced on
    // all 13 photos in the e2e test; stable ascending order did not match.
    std::stable_sort(top.begin(), top.end(), [](const Det& x, const Det& y) {
      if (x.score != y.score) return x.score > y.score;
      return x.cls != y.cls ? x.cls > y.cls : x.box < y.box;
    });
    if (static_cast<int>(top.size()) > p.max_detections) {
      top.resize(static_cast<size_t>(std::max(0, p.max_detections)));
    }
  }
  for (size_t i = 0; i < top.size(); ++i) put(static_cast<int>(i), top[i].box, top[i].cls, top[i].score);
  *out_count = static_cast<float>(top.size());
}

}  // namespace detlite::kernels

#endif  // DETLITE_KERNELS_REFERENCE_DETECTION_POSTPROCESS_H_
