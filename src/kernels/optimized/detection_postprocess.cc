#include "kernels/optimized/detection_postprocess.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>

#include "kernels/optimized/cpu.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Best of n > 0 values. Independent running maxima (8 floats, 16 bytes)
// that GCC turns into maxps / pmaxub at -O2; only the value is used, so
// which of equal values wins does not matter.
float RowMax(const float* row, int n) {
  float m[8];
  for (float& v : m) v = row[0];
  int c = 0;
  for (; c + 8 <= n; c += 8) {
    for (int k = 0; k < 8; ++k) m[k] = row[c + k] > m[k] ? row[c + k] : m[k];
  }
  for (; c < n; ++c) m[0] = row[c] > m[0] ? row[c] : m[0];
  for (int k = 1; k < 8; ++k) m[0] = m[k] > m[0] ? m[k] : m[0];
  return m[0];
}

uint8_t RowMax(const uint8_t* row, int n) {
  uint8_t m[16] = {};
  int c = 0;
  for (; c + 16 <= n; c += 16) {
    for (int k = 0; k < 16; ++k) m[k] = row[c + k] > m[k] ? row[c + k] : m[k];
  }
  uint8_t best = 0;
  for (; c < n; ++c) best = row[c] > best ? row[c] : best;
  for (uint8_t v : m) best = v > best ? v : best;
  return best;
}

// The first of the n values equal to the best (the reference's stable sort
// by descending score puts it first), or -1 (only with NaN).
template <typename T>
int FirstBest(const T* row, int n) {
  const T best = RowMax(row, n);
  for (int c = 0; c < n; ++c) {
    if (row[c] == best) return c;
  }
  return -1;
}

// Best of the n > 0 scores of a row starting at element `row`.
float BestScore(const DetectionRows& s, size_t row, int n) {
  if (s.f != nullptr) return RowMax(s.f + row, n);
  if (s.table_increasing) return s.table[RowMax(s.q + row, n)];
  float best = s.table[s.q[row]];
  for (int c = 1; c < n; ++c) {
    const float v = s.table[s.q[row + static_cast<size_t>(c)]];
    best = v > best ? v : best;
  }
  return best;
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
    const float best = num_classes > 0 ? BestScore(s, row, num_classes)
                                       : 0.0f;  // the reference's value with no class
    if (best >= threshold) keys_.push_back(CandidateKey(best, b));
  }
}

void DetectionPostProcessor::ColumnCandidates(const DetectionRows& s, int num_boxes, int col,
                                              float threshold, float floor) {
  // Only a row-strided read per box; a key is made for the few that pass
  // (most fail once the floor is up, so the branch predicts well).
  keys_.clear();
  const size_t stride = static_cast<size_t>(s.stride);
  if (s.f != nullptr) {
    const float* v = s.f + col;
    for (int b = 0; b < num_boxes; ++b, v += stride) {
      if (*v >= threshold && *v >= floor) keys_.push_back(CandidateKey(*v, b));
    }
  } else {
    const uint8_t* q = s.q + col;
    for (int b = 0; b < num_boxes; ++b, q += stride) {
      const float v = s.table[*q];
      if (v >= threshold && v >= floor) keys_.push_back(CandidateKey(v, b));
    }
  }
}

void DetectionPostProcessor::Keep(int i) {
  const size_t k = selected_.size();
  const BoxCorners& b = boxes_[static_cast<size_t>(i)];
  kept_[0][k] = b.ymin;
  kept_[1][k] = b.xmin;
  kept_[2][k] = b.ymax;
  kept_[3][k] = b.xmax;
  kept_[4][k] = areas_[static_cast<size_t>(i)];
  selected_.push_back(i);
}

// DetectionIouWithAreas(kept box, b) > threshold for any kept box. The SSE2
// path (x86-64's baseline; off at DETLITE_ISA=reference) computes the same
// operations in the same order per lane: maxps(b, a) and minps(b, a) are
// std::max(a, b) and std::min(a, b) exactly (NaN too).
bool DetectionPostProcessor::Suppressed(const BoxCorners& b, float area_b,
                                        float threshold) const {
  const size_t n = selected_.size();
#if defined(__SSE2__)
  if (simd_) {
    const __m128 zero = _mm_setzero_ps();
    const __m128 by0 = _mm_set1_ps(b.ymin), bx0 = _mm_set1_ps(b.xmin);
    const __m128 by1 = _mm_set1_ps(b.ymax), bx1 = _mm_set1_ps(b.xmax);
    const __m128 barea = _mm_set1_ps(area_b), thr = _mm_set1_ps(threshold);
    const __m128 bempty = _mm_cmple_ps(barea, zero);
    for (size_t k = 0; k < n; k += 4) {
      const __m128 aarea = _mm_loadu_ps(&kept_[4][k]);
      const __m128 iy0 = _mm_max_ps(by0, _mm_loadu_ps(&kept_[0][k]));
      const __m128 ix0 = _mm_max_ps(bx0, _mm_loadu_ps(&kept_[1][k]));
      const __m128 iy1 = _mm_min_ps(by1, _mm_loadu_ps(&kept_[2][k]));
      const __m128 ix1 = _mm_min_ps(bx1, _mm_loadu_ps(&kept_[3][k]));
      const __m128 inter = _mm_mul_ps(_mm_max_ps(zero, _mm_sub_ps(iy1, iy0)),
                                      _mm_max_ps(zero, _mm_sub_ps(ix1, ix0)));
      const __m128 iou = _mm_div_ps(inter, _mm_sub_ps(_mm_add_ps(aarea, barea), inter));
      const __m128 empty = _mm_or_ps(_mm_cmple_ps(aarea, zero), bempty);
      const __m128 over = _mm_cmpgt_ps(_mm_andnot_ps(empty, iou), thr);
      const int lanes = n - k >= 4 ? 0xf : (1 << (n - k)) - 1;
      if ((_mm_movemask_ps(over) & lanes) != 0) return true;
    }
    return false;
  }
#endif
  for (size_t k = 0; k < n; ++k) {
    const BoxCorners a{kept_[0][k], kept_[1][k], kept_[2][k], kept_[3][k]};
    if (DetectionIouWithAreas(a, kept_[4][k], b, area_b) > threshold) return true;
  }
  return false;
}

void DetectionPostProcessor::Nms(float iou_threshold, int max_out) {
  selected_.clear();
  const size_t n = keys_.size();
  const size_t out = std::min(n, static_cast<size_t>(std::max(0, max_out)));
  // Room for whole groups of 4 (lanes past the count are masked off).
  for (std::vector<float>& v : kept_) {
    if (v.size() < out + 4) v.resize(out + 4, 0.0f);
  }
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
      if (!Suppressed(boxes_[static_cast<size_t>(i)], areas_[static_cast<size_t>(i)],
                      iou_threshold)) {
        Keep(i);
      }
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
      const size_t row = static_cast<size_t>(box) * static_cast<size_t>(s.stride) +
                         static_cast<size_t>(offset);
      int best = -1;
      if (s.f != nullptr) {
        best = FirstBest(s.f + row, p.num_classes);
      } else if (s.table_increasing) {
        best = FirstBest(s.q + row, p.num_classes);
      }
      if (best < 0) {  // uint8 through a table that is not increasing, or NaN
        best = 0;
        for (int c = 1; c < p.num_classes; ++c) {
          if (s.At(box, offset + c) > s.At(box, offset + best)) best = c;
        }
      }
      out.Put(base, boxes_[static_cast<size_t>(box)], best, s.At(box, offset + best));
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
  // Once max_detections boxes are kept (in any classes), a score below the
  // lowest of the best max_detections kept cannot reach the output, and
  // dropping such candidates from later classes changes nothing before
  // them: NMS decides in descending order. top_ is a min-heap of those
  // best kept scores.
  const size_t max_out = static_cast<size_t>(std::max(0, p.max_detections));
  top_.clear();
  float floor = -std::numeric_limits<float>::infinity();
  for (int c = 0; c < p.num_classes; ++c) {
    ColumnCandidates(s, num_boxes, offset + c, p.nms_score_threshold, floor);
    Nms(p.nms_iou_threshold, p.detections_per_class);
    for (int b : selected_) {
      const float score = s.At(b, offset + c);
      dets_.push_back({b, c, score});
      if (max_out == 0) continue;
      top_.push_back(score);
      std::push_heap(top_.begin(), top_.end(), std::greater<float>());
      if (top_.size() > max_out) {
        std::pop_heap(top_.begin(), top_.end(), std::greater<float>());
        top_.pop_back();
      }
    }
    if (top_.size() == max_out && max_out > 0) floor = top_.front();
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
  simd_ = ActiveIsa() != Isa::kReference;
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
