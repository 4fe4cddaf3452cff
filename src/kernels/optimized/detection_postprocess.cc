#include "kernels/optimized/detection_postprocess.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace detlite::kernels::optimized {
namespace {

// Ascending keys order candidates as the reference's stable sort by
// descending score does: higher score first, -0 equal to +0 (the score is
// only compared, never read back from the key), then lower index first.
// Candidates are never NaN (NaN fails the threshold test).
uint64_t CandidateKey(float score, int index) {
  if (score == 0.0f) score = 0.0f;
  uint32_t u;
  std::memcpy(&u, &score, sizeof(u));
  u = (u & 0x80000000u) != 0 ? ~u : (u | 0x80000000u);  // increases with the float
  return (static_cast<uint64_t>(~u) << 32) | static_cast<uint32_t>(index);
}

int KeyIndex(uint64_t key) { return static_cast<int>(static_cast<uint32_t>(key)); }

// Best of n > 0 floats. Four running maxima keep the loop from waiting on
// one; only the value is used (the class is found again for output boxes),
// so which of equal values wins does not matter.
float RowMax(const float* row, int n) {
  float m0 = row[0], m1 = row[0], m2 = row[0], m3 = row[0];
  int c = 1;
  for (; c + 4 <= n; c += 4) {
    m0 = row[c] > m0 ? row[c] : m0;
    m1 = row[c + 1] > m1 ? row[c + 1] : m1;
    m2 = row[c + 2] > m2 ? row[c + 2] : m2;
    m3 = row[c + 3] > m3 ? row[c + 3] : m3;
  }
  for (; c < n; ++c) m0 = row[c] > m0 ? row[c] : m0;
  m0 = m1 > m0 ? m1 : m0;
  m2 = m3 > m2 ? m3 : m2;
  return m2 > m0 ? m2 : m0;
}

uint8_t RowMax(const uint8_t* row, int n) {
  uint8_t m = 0;
  for (int c = 0; c < n; ++c) m = std::max(m, row[c]);
  return m;
}

}  // namespace

bool FillDetectionTable(int32_t zero_point, float scale, float table[256]) {
  const float zp = static_cast<float>(zero_point);
  bool increasing = true;
  for (int q = 0; q < 256; ++q) {
    table[q] = DequantizeDetectionInput(static_cast<uint8_t>(q), zp, scale);
    if (q > 0 && !(table[q] > table[q - 1])) increasing = false;
  }
  return increasing;
}

void DetectionPostProcessor::Decode(int i) {
  const size_t k = static_cast<size_t>(i);
  if (decoded_epoch_[k] == epoch_) return;
  const DetectionRows& e = *encodings_;
  const DetectionRows& a = *anchors_;
  boxes_[k] = DecodeCenterSizeBox(e.At(i, 0), e.At(i, 1), e.At(i, 2), e.At(i, 3), a.At(i, 0),
                                  a.At(i, 1), a.At(i, 2), a.At(i, 3), *params_);
  areas_[k] = BoxArea(boxes_[k]);
  decoded_epoch_[k] = epoch_;
}

void DetectionPostProcessor::BestScoreCandidates(const DetectionRows& s, int num_boxes,
                                                 int offset, int num_classes, float threshold) {
  keys_.clear();
  for (int b = 0; b < num_boxes; ++b) {
    const size_t row = static_cast<size_t>(b) * static_cast<size_t>(s.stride) +
                       static_cast<size_t>(offset);
    float best = 0.0f;  // the reference's value when there is no class
    if (num_classes <= 0) {
    } else if (s.f != nullptr) {
      best = RowMax(s.f + row, num_classes);
    } else if (s.table_increasing) {
      best = s.table[RowMax(s.q + row, num_classes)];
    } else {
      best = s.table[s.q[row]];
      for (int c = 1; c < num_classes; ++c) {
        const float v = s.table[s.q[row + static_cast<size_t>(c)]];
        best = v > best ? v : best;
      }
    }
    if (best >= threshold) keys_.push_back(CandidateKey(best, b));
  }
}

void DetectionPostProcessor::ColumnCandidates(const DetectionRows& s, int num_boxes, int col,
                                              float threshold) {
  keys_.clear();
  for (int b = 0; b < num_boxes; ++b) {
    const float v = s.At(b, col);
    if (v >= threshold) keys_.push_back(CandidateKey(v, b));
  }
}

void DetectionPostProcessor::Nms(float iou_threshold, int max_out) {
  selected_.clear();
  const size_t n = keys_.size();
  const size_t out = std::min(n, static_cast<size_t>(std::max(0, max_out)));
  size_t begin = 0;
  size_t chunk = std::max<size_t>(2 * out, 16);
  while (selected_.size() < out && begin < n) {
    const size_t end = std::min(n, begin + chunk);
    const auto first = keys_.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = keys_.begin() + static_cast<std::ptrdiff_t>(end);
    if (end < n) std::nth_element(first, last, keys_.end());
    std::sort(first, last);
    for (size_t k = begin; k < end && selected_.size() < out; ++k) {
      const int i = KeyIndex(keys_[k]);
      Decode(i);
      const BoxCorners& box = boxes_[static_cast<size_t>(i)];
      const float area = areas_[static_cast<size_t>(i)];
      bool kept = true;
      for (int s : selected_) {
        if (DetectionIouWithAreas(boxes_[static_cast<size_t>(s)], areas_[static_cast<size_t>(s)],
                                  box, area) > iou_threshold) {
          kept = false;
          break;
        }
      }
      if (kept) selected_.push_back(i);
    }
    begin = end;
    chunk *= 2;
  }
}

void DetectionPostProcessor::RunFast(const DetectionRows& s, int num_boxes, int offset,
                                     const DetectionPostProcessParams& p, const Outputs& out) {
  BestScoreCandidates(s, num_boxes, offset, p.num_classes, p.nms_score_threshold);
  Nms(p.nms_iou_threshold, p.max_detections);
  const int per_anchor = std::min(p.max_classes_per_detection, p.num_classes);
  // The reference's stable sort by descending score: among equal scores
  // the lower class first.
  for (size_t n = 0; n < selected_.size(); ++n) {
    const int box = selected_[n];
    const int base = p.max_classes_per_detection * static_cast<int>(n);
    if (per_anchor == 1) {
      int best = 0;
      float best_score = s.At(box, offset);
      for (int c = 1; c < p.num_classes; ++c) {
        const float v = s.At(box, offset + c);
        if (v > best_score) {
          best = c;
          best_score = v;
        }
      }
      out.Put(base, boxes_[static_cast<size_t>(box)], best, best_score);
      continue;
    }
    if (per_anchor <= 0) continue;
    class_order_.resize(static_cast<size_t>(p.num_classes));
    std::iota(class_order_.begin(), class_order_.end(), 0);
    std::partial_sort(class_order_.begin(), class_order_.begin() + per_anchor, class_order_.end(),
                      [&](int x, int y) {
                        const float sx = s.At(box, offset + x), sy = s.At(box, offset + y);
                        if (sx > sy) return true;
                        if (sy > sx) return false;
                        return x < y;
                      });
    for (int c = 0; c < per_anchor; ++c) {
      const int cls = class_order_[static_cast<size_t>(c)];
      out.Put(base + c, boxes_[static_cast<size_t>(box)], cls, s.At(box, offset + cls));
    }
  }
  *out.count = static_cast<float>(selected_.size());
}

void DetectionPostProcessor::RunRegular(const DetectionRows& s, int num_boxes, int offset,
                                        const DetectionPostProcessParams& p, const Outputs& out) {
  dets_.clear();
  for (int c = 0; c < p.num_classes; ++c) {
    ColumnCandidates(s, num_boxes, offset + c, p.nms_score_threshold);
    Nms(p.nms_iou_threshold, p.detections_per_class);
    for (int b : selected_) dets_.push_back({b, c, s.At(b, offset + c)});
  }
  // The reference re-sorts after each class and truncates; its order is
  // total (no two detections share box and class), so one partial sort of
  // everything gives the same first max_detections.
  const size_t m = std::min(dets_.size(), static_cast<size_t>(std::max(0, p.max_detections)));
  std::partial_sort(dets_.begin(), dets_.begin() + static_cast<std::ptrdiff_t>(m), dets_.end(),
                    [](const Det& x, const Det& y) {
                      if (x.score != y.score) return x.score > y.score;
                      return x.cls != y.cls ? x.cls > y.cls : x.box < y.box;
                    });
  for (size_t i = 0; i < m; ++i) {
    const Det& d = dets_[i];
    out.Put(static_cast<int>(i), boxes_[static_cast<size_t>(d.box)], d.cls, d.score);
  }
  *out.count = static_cast<float>(m);
}

void DetectionPostProcessor::Run(const DetectionRows& encodings, const DetectionRows& scores,
                                 const DetectionRows& anchors, int num_boxes,
                                 int num_classes_with_background,
                                 const DetectionPostProcessParams& p, float* out_boxes,
                                 float* out_classes, float* out_scores, float* out_count) {
  encodings_ = &encodings;
  anchors_ = &anchors;
  params_ = &p;
  const size_t nb = static_cast<size_t>(std::max(0, num_boxes));
  if (decoded_epoch_.size() != nb) {
    decoded_epoch_.assign(nb, 0);
    boxes_.resize(nb);
    areas_.resize(nb);
    epoch_ = 0;
  }
  if (++epoch_ == 0) {  // wrapped: forget every stamp
    std::fill(decoded_epoch_.begin(), decoded_epoch_.end(), 0u);
    epoch_ = 1;
  }
  const int slots = p.max_detections * p.max_classes_per_detection;
  std::fill(out_boxes, out_boxes + 4 * slots, 0.0f);
  std::fill(out_classes, out_classes + slots, 0.0f);
  std::fill(out_scores, out_scores + slots, 0.0f);
  const Outputs out{out_boxes, out_classes, out_scores, out_count};
  const int offset = num_classes_with_background - p.num_classes;
  if (p.use_regular_nms) {
    RunRegular(scores, num_boxes, offset, p, out);
  } else {
    RunFast(scores, num_boxes, offset, p, out);
  }
}

}  // namespace detlite::kernels::optimized
